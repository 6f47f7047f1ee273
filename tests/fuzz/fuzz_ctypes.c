/*
 * NAME
 *	fuzz_ctypes - libFuzzer target for the content-type tables
 *	(gw/ctypes: mime-to-x400, x400-to-mime)
 * DESCRIPTION
 *	The first byte picks the table the rest is loaded into, as table
 *	text (errors are fine; crashes, leaks and broken invariants are
 *	not). On an error the message must name the file ("fuzz:LINE: ...").
 *	Whatever loaded is checked: every mime-to-x400 line ends with a
 *	choice that always fits, no 1984 line has latin1, file or ftbp, no
 *	string is unterminated. Then every input line is also used as a
 *	MIME type (with and without a charset, both modes) for a lookup in
 *	the loaded and in the built-in table, and the choice for each
 *	combination of part properties must exist when a line matched; and
 *	as an OID for an x400-to-mime lookup.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gw/ctypes.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_table(const struct ctypes *ct)
{
	size_t	 i, k;

	for (i = 0; i < ct->nm2x; i++) {
		const struct ctypes_m2x *e = &ct->m2x[i];
		enum ctypes_bp last;

		if (e->n == 0 || e->n > CTYPES_MAX_CHOICES ||
		    !memchr(e->type, '\0', sizeof(e->type)) ||
		    !memchr(e->subtype, '\0', sizeof(e->subtype)) ||
		    !memchr(e->charset, '\0', sizeof(e->charset)))
			abort();
		last = e->c[e->n - 1].bp;
		if (last != CTYPES_BP_BP14 && last != CTYPES_BP_FTBP &&
		    last != CTYPES_BP_TUNNEL)
			abort();
		for (k = 0; k < e->n; k++)
			if (e->mode == CTYPES_1984 && (e->c[k].bp ==
			    CTYPES_BP_LATIN1 || e->c[k].bp == CTYPES_BP_FTBP ||
			    e->c[k].bp == CTYPES_BP_FILE))
				abort();
	}
	for (i = 0; i < ct->nx2m; i++) {
		const struct ctypes_x2m *e = &ct->x2m[i];

		if (e->nparam > CTYPES_MAX_PARAMS || e->type[0] == '\0' ||
		    e->subtype[0] == '\0' || strchr(e->type, '*') ||
		    (e->mode == CTYPES_1984 && (e->bp == CTYPES_BP_LATIN1 ||
		    e->bp == CTYPES_BP_FTBP)))
			abort();
	}
	if (ct->nm2x > CTYPES_MAX_LINES || ct->nx2m > CTYPES_MAX_LINES)
		abort();
}

static void
lookups(const struct ctypes *ct, const char *s)
{
	const struct ctypes_m2x *e;
	struct ctypes_props p;
	const char	*oids[3] = { s, "", NULL };
	int		 mode, bits;

	for (mode = CTYPES_1984; mode <= CTYPES_1988; mode++) {
		e = ctypes_m2x_lookup(ct, s, NULL, (enum ctypes_mode)mode);
		if (e != NULL && (int)e->mode != mode)
			abort();
		for (bits = 0; e != NULL && bits < 8; bits++) {
			p.text = bits & 1;
			p.ascii = bits & 2;
			p.named = bits & 4;
			if (ctypes_choose(e, &p) == NULL)
				abort();
		}
		(void)ctypes_m2x_lookup(ct, "text/plain", s,
		    (enum ctypes_mode)mode);
		(void)ctypes_x2m_lookup(ct, CTYPES_BP_FTBP, oids, 3,
		    (enum ctypes_mode)mode);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t n)
{
	struct ctypes	 ct;
	char		 err[512], *line;
	const char	*s, *nl;
	size_t		 len, lines = 0;
	enum ctypes_table t;
	int		 rc;

	if (n < 1 || n > 65536)
		return 0;
	t = p[0] & 1 ? CTYPES_X2M : CTYPES_M2X;
	s = (const char *)p + 1;
	n--;
	ctypes_init(&ct);
	err[0] = '\0';
	rc = ctypes_load_text(&ct, t, "fuzz", s, n, err, sizeof(err));
	if (rc != CTYPES_OK && (strncmp(err, "fuzz:", 5) != 0 ||
	    memchr(err, '\0', sizeof(err)) == NULL))
		abort();
	check_table(&ct);
	while (n > 0 && lines++ < 64) {
		nl = memchr(s, '\n', n);
		len = nl != NULL ? (size_t)(nl - s) : n;
		if ((line = malloc(len + 1)) == NULL)
			break;
		memcpy(line, s, len);
		line[len] = '\0';
		lookups(&ct, line);
		lookups(ctypes_builtin(), line);
		free(line);
		if (nl == NULL)
			break;
		s += len + 1;
		n -= len + 1;
	}
	ctypes_free(&ct);
	return 0;
}
