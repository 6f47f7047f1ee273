/*
 * NAME
 *	fuzz_mime_out - libFuzzer target for gw/mime_out (IPM heading ->
 *	RFC 822 header, body parts -> MIME)
 * DESCRIPTION
 *	The input is a P22 content. When it decodes to an IPM with body
 *	parts, its header is built (RFC 2156 tables empty: every address
 *	takes the fallback path) and must be header lines only: each ends
 *	with CR LF, none is empty (an empty line would end the header
 *	early), no NUL, no bare CR or LF; and the entity, in both usages,
 *	must be written (into an anonymous file in $TMPDIR, else /tmp). A
 *	GMime critical aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gmime/gmime.h>

#include "gw/mime_out.h"
#include "util/afile.h"
#include "x400/p22.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_header(const struct buf *b)
{
	size_t	 i, start = 0;

	if (buf_error(b) || b->len < 2 || b->p[b->len - 2] != '\r' ||
	    b->p[b->len - 1] != '\n')
		abort();
	for (i = 0; i < b->len; i++) {
		if (b->p[i] == '\0')
			abort();
		if (b->p[i] == '\r' && (i + 1 == b->len || b->p[i + 1] != '\n'))
			abort();
		if (b->p[i] == '\n' && (i == 0 || b->p[i - 1] != '\r'))
			abort();
		if (b->p[i] == '\n') {
			if (i - start < 2)		/* an empty line */
				abort();
			start = i + 1;
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t n)
{
	static struct mixer	 mx;
	static int		 ready;
	struct p22_content	*c;
	struct ber_dec		 d;
	struct orname		 o;
	struct mime_out		 m;
	struct buf		 b;
	const char		*tmp = getenv("TMPDIR");
	char			 desc[512];
	int			 fd;

	if (!ready) {
		g_mime_init();
		atexit(g_mime_shutdown);
		g_log_set_always_fatal(G_LOG_LEVEL_CRITICAL);
		mixer_init(&mx);
		ready = 1;
	}
	if ((c = malloc(sizeof(*c))) == NULL)
		return 0;
	p22_init(c);
	ber_dec_init(&d);
	if (p22_decode(&d, NULL, p, n, c) == BER_OK && c->kind == P22_IPM &&
	    c->nbp > 0) {
		orname_init(&o);
		mime_out_init(&m);
		m.mixer = &mx;
		m.ipm = c;
		m.env_orig = m.to = &o;
		m.subject = "fuzz";
		buf_init(&b);
		mime_out_header(&m, &b);
		check_header(&b);
		buf_free(&b);
		/* a file (GMime syncs its streams: not /dev/null) */
		if ((fd = afile_anon(tmp != NULL ? tmp : "/tmp")) >= 0) {
			if (mime_out_write(&m, fd, desc, sizeof(desc)) < 0)
				abort();
			m.header = 1;
			if (mime_out_write(&m, fd, desc, sizeof(desc)) < 0)
				abort();
			close(fd);
		}
	}
	p22_free(c);
	free(c);
	return 0;
}
