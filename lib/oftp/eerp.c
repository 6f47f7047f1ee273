/*
 * NAME
 *	eerp - OFTP EERP and NERP commands (see eerp.h)
 * DESCRIPTION
 *	Layouts (RFC 5024; positions from 0):
 *	  EERP  0 'E'  1 DSN X(26)  27 RSV1 X(3)  30 DATE 9(8)  38 TIME 9(10)
 *	        48 USER X(8)  56 DEST X(25)  81 ORIG X(25)
 *	        106 HSHL U(2)  108 HSH  then SIGL U(2), SIG       (5.3.13)
 *	  NERP  0 'N'  1 DSN X(26)  27 RSV1 X(6)  33 DATE 9(8)  41 TIME 9(10)
 *	        51 DEST X(25)  76 ORIG X(25)  101 CREA X(25)  126 REAS 9(2)
 *	        128 REASL 9(3)  131 REAST T(n)  then HSHL, HSH, SIGL, SIG
 *	                                                          (5.3.14)
 *	OFTP 1.4 stops before HSHL (EERP) and after REAS (NERP).
 *	An unsigned command has hash length 0 (5.3.13 EERPHSHL: "always the
 *	case if the EERP is not signed"), so a hash without a signature is
 *	refused.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/err.h"
#include "oftp/eerp.h"

/* NERPREAS, RFC 5024 5.3.14: the one table of codes and texts. */
static const struct {
	unsigned	 code;
	const char	*text;
} nerp_reasons[] = {
	{ 3, "ESID received with reason code '03' (user code not known)" },
	{ 4, "ESID received with reason code '04' (invalid password)" },
	{ 9, "ESID received with reason code '99' (unspecified reason)" },
	{ 11, "SFNA(RETRY=N) received with reason code '01' "
	    "(invalid file name)" },
	{ 12, "SFNA(RETRY=N) received with reason code '02' "
	    "(invalid destination)" },
	{ 13, "SFNA(RETRY=N) received with reason code '03' "
	    "(invalid origin)" },
	{ 14, "SFNA(RETRY=N) received with reason code '04' "
	    "(invalid storage record format)" },
	{ 15, "SFNA(RETRY=N) received with reason code '05' "
	    "(maximum record length not supported)" },
	{ 16, "SFNA(RETRY=N) received with reason code '06' "
	    "(file size too big)" },
	{ 20, "SFNA(RETRY=N) received with reason code '10' "
	    "(invalid record count)" },
	{ 21, "SFNA(RETRY=N) received with reason code '11' "
	    "(invalid byte count)" },
	{ 22, "SFNA(RETRY=N) received with reason code '12' "
	    "(access method failure)" },
	{ 23, "SFNA(RETRY=N) received with reason code '13' "
	    "(duplicate file)" },
	{ 24, "SFNA(RETRY=N) received with reason code '14' "
	    "(file direction refused)" },
	{ 25, "SFNA(RETRY=N) received with reason code '15' "
	    "(cipher suite not supported)" },
	{ 26, "SFNA(RETRY=N) received with reason code '16' "
	    "(encrypted file not allowed)" },
	{ 27, "SFNA(RETRY=N) received with reason code '17' "
	    "(unencrypted file not allowed)" },
	{ 28, "SFNA(RETRY=N) received with reason code '18' "
	    "(compression not allowed)" },
	{ 29, "SFNA(RETRY=N) received with reason code '19' "
	    "(signed file not allowed)" },
	{ 30, "SFNA(RETRY=N) received with reason code '20' "
	    "(unsigned file not allowed)" },
	{ 31, "File signature not valid." },
	{ 32, "File decompression failed." },
	{ 33, "File decryption failed." },
	{ 34, "File processing failed." },
	{ 35, "Not delivered to recipient." },
	{ 36, "Not acknowledged by recipient." },
	{ 50, "Transmission stopped by the operator." },
	{ 90, "File size incompatible with recipient's protocol version." },
	{ 99, "Unspecified reason." },
};


const char *
nerp_reason_text(unsigned code)
{
	size_t	 i;

	for (i = 0; i < sizeof(nerp_reasons) / sizeof(nerp_reasons[0]); i++)
		if (nerp_reasons[i].code == code)
			return nerp_reasons[i].text;
	return NULL;
}

/*
 * SFNAREAS, RFC 5024 5.3.5 (rfc5024.txt:2807-2826), each with the NERP
 * reason that says "SFNA(RETRY=N) received with reason code" it
 * (5.3.14, rfc5024.txt:3508-3547); 99 has none of its own.
 */
static const struct {
	unsigned	 code, nerp;
	const char	*text;
} sfna_reasons[] = {
	{ 1, 11, "Invalid filename." },
	{ 2, 12, "Invalid destination." },
	{ 3, 13, "Invalid origin." },
	{ 4, 14, "Storage record format not supported." },
	{ 5, 15, "Maximum record length not supported." },
	{ 6, 16, "File size is too big." },
	{ 10, 20, "Invalid record count." },
	{ 11, 21, "Invalid byte count." },
	{ 12, 22, "Access method failure." },
	{ 13, 23, "Duplicate file." },
	{ 14, 24, "File direction refused." },
	{ 15, 25, "Cipher suite not supported." },
	{ 16, 26, "Encrypted file not allowed." },
	{ 17, 27, "Unencrypted file not allowed." },
	{ 18, 28, "Compression not allowed." },
	{ 19, 29, "Signed file not allowed." },
	{ 20, 30, "Unsigned file not allowed." },
	{ 99, 0, "Unspecified reason." },
};

const char *
sfna_reason_text(unsigned code)
{
	size_t	 i;

	for (i = 0; i < sizeof(sfna_reasons) / sizeof(sfna_reasons[0]); i++)
		if (sfna_reasons[i].code == code)
			return sfna_reasons[i].text;
	return NULL;
}

unsigned
nerp_sfna(unsigned nerp)
{
	size_t	 i;

	for (i = 0; i < sizeof(sfna_reasons) / sizeof(sfna_reasons[0]); i++)
		if (nerp != 0 && sfna_reasons[i].nerp == nerp)
			return sfna_reasons[i].code;
	return 99;
}

void
eerp_init(struct eerp *e, char cmd, int level)
{
	memset(e, 0, sizeof(*e));
	e->cmd = cmd;
	e->level = level;
}

void
eerp_from_sfid(struct eerp *e, const struct sfid *s, char cmd, int level)
{
	eerp_init(e, cmd, level);
	snprintf(e->dsn, sizeof(e->dsn), "%s", s->dsn);
	snprintf(e->date, sizeof(e->date), "%s", s->date);
	snprintf(e->time, sizeof(e->time), "%s", s->time);
	snprintf(e->dest, sizeof(e->dest), "%s", s->orig);
	snprintf(e->orig, sizeof(e->orig), "%s", s->dest);
	if (cmd == 'N')
		snprintf(e->crea, sizeof(e->crea), "%s", s->dest);
}

/* The octets of the UTF-8 sequence that lead octet b starts (1 to 4). */
static size_t
utf8_seq_len(uint8_t b)
{
	return b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
}

void
eerp_set_text(struct eerp *e, const char *s)
{
	const uint8_t	*p = (const uint8_t *)(s != NULL ? s : "");
	size_t		 i = 0, o = 0, n, len = strlen((const char *)p);

	e->text[0] = '\0';
	if (e->cmd != 'N' || e->level != EERP_OFTP2)
		return;			/* only an OFTP2 NERP has a text */
	while (i < len) {
		n = p[i] < 0x80 ? 1 : utf8_seq_len(p[i]);
		if (n > len - i || (n > 1 && sfid_check_utf8("", p + i, n, n,
		    NULL, 0) != SFID_OK) || (n == 1 && p[i] >= 0x80))
			n = 0;		/* not UTF-8: one '?' for the octet */
		if (o + (n == 0 ? 1 : n) > NERP_TEXT_MAX)
			break;		/* cut at a character boundary */
		if (n == 0 || p[i] < 0x20 || p[i] == 0x7f) {
			e->text[o++] = n == 0 ? '?' : ' ';
			i++;
			continue;
		}
		memcpy(e->text + o, p + i, n);
		o += n;
		i += n;
	}
	e->text[o] = '\0';
}

/* Map a field codec error of the sfid module to ours. */
static int
map_sfid(int rc)
{
	switch (rc) {
	case SFID_OK:		return EERP_OK;
	case SFID_ETRUNC:	return EERP_ETRUNC;
	default:		return EERP_EFIELD;
	}
}

int
eerp_validate(const struct eerp *e, char *err, size_t errlen)
{
	const char *name = e->cmd == 'N' ? "NERP" : "EERP";
	char	 key[32];
	int	 rc;

	if (e->cmd != 'E' && e->cmd != 'N')
		return errf(err, errlen, EERP_ECMD,
		    "command 0x%02x is neither EERP 'E' nor NERP 'N'",
		    (unsigned)e->cmd & 0xff);
	if (e->level != EERP_OFTP2 && e->level != EERP_OFTP14)
		return errf(err, errlen, EERP_EFIELD,
		    "%s: unknown layout %d", name, e->level);
#define CHK(x)	do { if ((rc = (x)) != SFID_OK) return map_sfid(rc); } while (0)
#define KEY(f)	(snprintf(key, sizeof(key), "%s%s", name, (f)), key)
	CHK(sfid_check_x(KEY("DSN"), e->dsn, SFID_DSN_LEN, 1, err, errlen));
	CHK(sfid_check_date(KEY("DATE"), e->date, err, errlen));
	CHK(sfid_check_time(KEY("TIME"), e->time, err, errlen));
	if (e->cmd == 'E')
		CHK(sfid_check_x(KEY("USER"), e->user, SFID_USER_LEN, 0, err,
		    errlen));
	else if (e->user[0] != '\0')
		return errf(err, errlen, EERP_EFIELD,
		    "NERP: has no user field");
	CHK(sfid_check_x(KEY("DEST"), e->dest, SFID_ID_LEN, 1, err, errlen));
	CHK(sfid_check_x(KEY("ORIG"), e->orig, SFID_ID_LEN, 1, err, errlen));
	if (e->cmd == 'N') {
		CHK(sfid_check_x("NERPCREA", e->crea, SFID_ID_LEN, 1, err,
		    errlen));
		if (nerp_reason_text(e->reason) == NULL)
			return errf(err, errlen, EERP_EREASON,
			    "NERPREAS: unknown reason code %02u", e->reason);
		CHK(sfid_check_utf8("NERPREAST", (const uint8_t *)e->text,
		    strnlen(e->text, sizeof(e->text)), NERP_TEXT_MAX, err,
		    errlen));
	}
#undef CHK
#undef KEY
	if (e->level == EERP_OFTP14) {
		if (e->cmd == 'N' && e->text[0] != '\0')
			return errf(err, errlen, EERP_EFIELD,
			    "NERPREAST: an OFTP 1.4 NERP has no reason text");
		if (e->hash_len != 0 || e->sig_len != 0)
			return errf(err, errlen, EERP_EFIELD,
			    "%s: an OFTP 1.4 %s has no hash or signature",
			    name, name);
	}
	if (e->hash_len > 0xffff || e->sig_len > 0xffff)
		return errf(err, errlen, EERP_ELEN,
		    "%s%s: %zu octets, at most 65535", name,
		    e->hash_len > 0xffff ? "HSHL" : "SIGL",
		    e->hash_len > 0xffff ? e->hash_len : e->sig_len);
	if (e->hash_len > 0 && e->sig_len == 0)
		return errf(err, errlen, EERP_ELEN,
		    "%sHSHL: %zu but the %s is not signed (SIGL 0)", name,
		    e->hash_len, name);
	if ((e->hash_len > 0 && e->hash == NULL) ||
	    (e->sig_len > 0 && e->sig == NULL))
		return errf(err, errlen, EERP_EFIELD,
		    "%s: hash or signature length without data", name);
	return EERP_OK;
}

int
eerp_build(const struct eerp *e, struct buf *b, char *err, size_t errlen)
{
	int	 rc;

	if ((rc = eerp_validate(e, err, errlen)) != EERP_OK)
		return rc;
	buf_add_u8(b, (uint8_t)e->cmd);
	sfid_put_x(b, e->dsn, SFID_DSN_LEN);
	sfid_put_x(b, "", e->cmd == 'E' ? 3 : 6);
	sfid_put_x(b, e->date, 8);
	sfid_put_x(b, e->time, 10);
	if (e->cmd == 'E')
		sfid_put_x(b, e->user, SFID_USER_LEN);
	sfid_put_x(b, e->dest, SFID_ID_LEN);
	sfid_put_x(b, e->orig, SFID_ID_LEN);
	if (e->cmd == 'N') {
		sfid_put_x(b, e->crea, SFID_ID_LEN);
		sfid_put_9(b, e->reason, 2);
	}
	if (e->level == EERP_OFTP2) {
		if (e->cmd == 'N') {
			sfid_put_9(b, strlen(e->text), 3);
			buf_add_str(b, e->text);
		}
		buf_add_u8(b, (uint8_t)(e->hash_len >> 8));
		buf_add_u8(b, (uint8_t)e->hash_len);
		buf_add(b, e->hash, e->hash_len);
		buf_add_u8(b, (uint8_t)(e->sig_len >> 8));
		buf_add_u8(b, (uint8_t)e->sig_len);
		buf_add(b, e->sig, e->sig_len);
	}
	if (buf_error(b))
		return errf(err, errlen, EERP_ENOMEM,
		    "cannot grow the output buffer");
	return EERP_OK;
}

/* A U(2) length and the octets it announces. */
static int
get_lv(struct cur *c, const char *lname, const char *vname,
    const uint8_t **p, size_t *len, char *err, size_t errlen)
{
	uint16_t n;

	if (!cur_get_u16be(c, &n))
		return errf(err, errlen, EERP_ETRUNC,
		    "%s: truncated at octet %zu", lname, cur_offset(c));
	if (!cur_get_bytes(c, p, n))
		return errf(err, errlen, EERP_ETRUNC,
		    "%s: %u octets announced, %zu present at octet %zu", vname,
		    n, cur_len(c), cur_offset(c));
	*len = n;
	return EERP_OK;
}

/* A 9(n) field kept as text (date, time): n digits. */
static int
get_digits(struct cur *c, const char *key, size_t n, char *out, char *err,
    size_t errlen)
{
	struct cur f;
	uint64_t u;

	if (!cur_child(c, &f, n))
		return errf(err, errlen, EERP_ETRUNC,
		    "%s: truncated at octet %zu", key, cur_offset(c));
	memcpy(out, cur_data(&f), n);
	out[n] = '\0';
	if (sfid_get_9(&f, key, n, &u, err, errlen) != SFID_OK)
		return EERP_EDIGIT;
	return EERP_OK;
}

int
eerp_parse(struct eerp *e, struct cur *c, int level, char *err,
    size_t errlen)
{
	struct cur in = *c;
	const uint8_t *p;
	const char *name;
	uint64_t u;
	uint8_t	 cmd;
	size_t	 fixed;
	int	 rc, sc;

	if (!cur_peek_u8(&in, &cmd))
		return errf(err, errlen, EERP_ETRUNC, "empty input");
	if (cmd != 'E' && cmd != 'N')
		return errf(err, errlen, EERP_ECMD,
		    "command octet 0x%02x, expected 'E' (EERP) or 'N' (NERP)",
		    cmd);
	name = cmd == 'E' ? "EERP" : "NERP";
	fixed = cmd == 'E' ? EERP_LEN_14 : NERP_LEN_14;
	if (level == EERP_ANY)
		level = cur_len(&in) == fixed ? EERP_OFTP14 : EERP_OFTP2;
	if (level != EERP_OFTP2 && level != EERP_OFTP14)
		return errf(err, errlen, EERP_EFIELD, "unknown layout %d",
		    level);
	eerp_init(e, (char)cmd, level);
	(void)cur_skip(&in, 1);

#define X(k, n, dst) do { \
	if ((sc = sfid_get_x(&in, (k), (n), (dst), err, errlen)) != SFID_OK) \
		return map_sfid(sc); } while (0)
#define N(k, n) do { \
	if ((sc = sfid_get_9(&in, (k), (n), &u, err, errlen)) != SFID_OK) \
		return sc == SFID_ETRUNC ? EERP_ETRUNC : EERP_EDIGIT; \
	} while (0)
	if (cmd == 'E') {
		X("EERPDSN", SFID_DSN_LEN, e->dsn);
		if ((sc = sfid_get_spaces(&in, "EERPRSV1", 3, err, errlen)) !=
		    SFID_OK)
			return map_sfid(sc);
		if ((rc = get_digits(&in, "EERPDATE", 8, e->date, err,
		    errlen)) != EERP_OK ||
		    (rc = get_digits(&in, "EERPTIME", 10, e->time, err,
		    errlen)) != EERP_OK)
			return rc;
	} else {
		X("NERPDSN", SFID_DSN_LEN, e->dsn);
		if ((sc = sfid_get_spaces(&in, "NERPRSV1", 6, err, errlen)) !=
		    SFID_OK)
			return map_sfid(sc);
		if ((rc = get_digits(&in, "NERPDATE", 8, e->date, err,
		    errlen)) != EERP_OK ||
		    (rc = get_digits(&in, "NERPTIME", 10, e->time, err,
		    errlen)) != EERP_OK)
			return rc;
	}
	if (cmd == 'E') {
		X("EERPUSER", SFID_USER_LEN, e->user);
		X("EERPDEST", SFID_ID_LEN, e->dest);
		X("EERPORIG", SFID_ID_LEN, e->orig);
	} else {
		X("NERPDEST", SFID_ID_LEN, e->dest);
		X("NERPORIG", SFID_ID_LEN, e->orig);
		X("NERPCREA", SFID_ID_LEN, e->crea);
		N("NERPREAS", 2);
		e->reason = (unsigned)u;
	}
	if (level == EERP_OFTP2) {
		if (cmd == 'N') {
			N("NERPREASL", 3);
			if (!cur_get_bytes(&in, &p, (size_t)u))
				return errf(err, errlen, EERP_ETRUNC,
				    "NERPREAST: %llu octets announced, %zu "
				    "present at octet %zu",
				    (unsigned long long)u, cur_len(&in),
				    cur_offset(&in));
			if ((sc = sfid_check_utf8("NERPREAST", p, (size_t)u,
			    NERP_TEXT_MAX, err, errlen)) != SFID_OK)
				return map_sfid(sc);
			memcpy(e->text, p, (size_t)u);
			e->text[u] = '\0';
		}
		if ((rc = get_lv(&in, cmd == 'E' ? "EERPHSHL" : "NERPHSHL",
		    cmd == 'E' ? "EERPHSH" : "NERPHSH", &e->hash,
		    &e->hash_len, err, errlen)) != EERP_OK ||
		    (rc = get_lv(&in, cmd == 'E' ? "EERPSIGL" : "NERPSIGL",
		    cmd == 'E' ? "EERPSIG" : "NERPSIG", &e->sig, &e->sig_len,
		    err, errlen)) != EERP_OK)
			return rc;
	}
#undef X
#undef N
	if (cur_len(&in) > 0)
		return errf(err, errlen, EERP_ETRAIL,
		    "%s: %zu octets of trailing data at octet %zu", name,
		    cur_len(&in), cur_offset(&in));
	if ((rc = eerp_validate(e, err, errlen)) != EERP_OK)
		return rc;
	*c = in;
	return EERP_OK;
}

int
eerp_signed_data(const struct eerp *e, struct buf *b, char *err,
    size_t errlen)
{
	int	 rc;

	if ((rc = eerp_validate(e, err, errlen)) != EERP_OK)
		return rc;
	sfid_put_x(b, e->dsn, SFID_DSN_LEN);
	sfid_put_x(b, e->date, 8);
	sfid_put_x(b, e->time, 10);
	sfid_put_x(b, e->dest, SFID_ID_LEN);
	sfid_put_x(b, e->orig, SFID_ID_LEN);
	if (e->cmd == 'N')
		sfid_put_x(b, e->crea, SFID_ID_LEN);
	buf_add(b, e->hash, e->hash_len);
	if (buf_error(b))
		return errf(err, errlen, EERP_ENOMEM,
		    "cannot grow the output buffer");
	return EERP_OK;
}

const char *
eerp_strerror(int e)
{
	switch (e) {
	case EERP_OK:		return "no error";
	case EERP_ECMD:		return "not an EERP or NERP command";
	case EERP_ETRUNC:	return "truncated";
	case EERP_ELEN:		return "wrong length";
	case EERP_ETRAIL:	return "trailing data";
	case EERP_EDIGIT:	return "non-digit in a numeric field";
	case EERP_EFIELD:	return "invalid field value";
	case EERP_EREASON:	return "unknown NERP reason code";
	case EERP_ENOMEM:	return "out of memory";
	}
	return "unknown error";
}
