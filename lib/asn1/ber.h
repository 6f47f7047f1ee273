/*
 * NAME
 *	ber - Basic Encoding Rules reader and writer
 * SYNOPSIS
 *	#include "asn1/ber.h"
 * DESCRIPTION
 *	Reader. ber_read() takes the next TLV from a cursor and returns it
 *	with a child cursor over its contents. It accepts all valid BER:
 *	tags of any class and multi-octet tag numbers, definite lengths in
 *	short and long form (non-minimal long forms included), indefinite
 *	lengths on constructed elements (the child cursor then covers the
 *	contents without the end-of-contents octets: callers never see the
 *	difference). Constructed strings are reassembled by ber_octets().
 *	Every read is bounded by the decoder's limits (nesting depth, TLV
 *	headers processed, element length); a violation is an error code
 *	with the absolute offset of the offending element, never a crash.
 *	The cursor advances only when the call succeeds.
 *
 *	ber_hdr_decode() is the one decoder of identifier and length octets
 *	(X.690 8.1.2, 8.1.3), for ber_read() and for the stream reader of
 *	ber_stream.h: it takes them from the start of a buffer and says
 *	BER_ETRUNC when the buffer ends inside them.
 *
 *	Writer. A struct berw builds an encoding with definite, minimal
 *	lengths (DER-style). berw_open()/berw_close() bracket a constructed
 *	element; the length is filled in at close. A primitive whose content
 *	is in a file is added with berw_prim_fd(): only its length and file
 *	offset are kept, and berw_write_fd() streams it from the file when
 *	the encoding is written out, so a 100 MB content is never in memory.
 *	One made only when written (records joined into a body) is added
 *	with berw_prim_gen(): its length now, a struct ber_gen whose write()
 *	appends exactly that many octets to the file or buffer later.
 *	Writer errors are sticky: check berw_error() or the final write.
 *
 *	Classes are the identifier-octet bits: BER_UNIV, BER_APP, BER_CTX,
 *	BER_PRIV. Tag numbers are the ASN.1 numbers (not identifier octets).
 * DIAGNOSTICS
 *	Functions return 0 (BER_OK) on success or a BER_E* code; the
 *	decoder or writer remembers the code, the offset and, where the
 *	caller named one, the field. ber_strerror() gives the text.
 */
#ifndef OX_BER_H
#define OX_BER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "util/buf.h"
#include "util/cur.h"

#define BER_UNIV	0x00
#define BER_APP		0x40
#define BER_CTX		0x80
#define BER_PRIV	0xc0

/* Universal tag numbers */
#define BER_BOOLEAN		1
#define BER_INTEGER		2
#define BER_BIT_STRING		3
#define BER_OCTET_STRING	4
#define BER_NULL		5
#define BER_OID			6
#define BER_EXTERNAL		8
#define BER_ENUMERATED		10
#define BER_UTF8_STRING		12
#define BER_SEQUENCE		16
#define BER_SET			17
#define BER_NUMERIC_STRING	18
#define BER_PRINTABLE_STRING	19
#define BER_TELETEX_STRING	20
#define BER_VIDEOTEX_STRING	21
#define BER_IA5_STRING		22
#define BER_UTC_TIME		23
#define BER_GENERALIZED_TIME	24
#define BER_GRAPHIC_STRING	25
#define BER_VISIBLE_STRING	26
#define BER_GENERAL_STRING	27
#define BER_UNIVERSAL_STRING	28
#define BER_BMP_STRING		30

enum ber_err {
	BER_OK = 0,
	BER_ETRUNC,	/* input ends inside an element */
	BER_ELEN,	/* length runs past the enclosing element */
	BER_ETOOLONG,	/* length above the decoder's maximum */
	BER_EDEPTH,	/* nesting deeper than the decoder's maximum */
	BER_ECOUNT,	/* more TLVs than the decoder's maximum */
	BER_EEOC,	/* bad or missing end-of-contents */
	BER_ETAG,	/* malformed or oversized tag number */
	BER_EINDEF,	/* indefinite length on a primitive element */
	BER_EBADLEN,	/* malformed length octets (reserved 0xff, > 8 octets) */
	BER_EOID,	/* malformed OBJECT IDENTIFIER */
	BER_ECHARS,	/* character not allowed in the string type */
	BER_EINT,	/* malformed or out-of-range INTEGER / ENUMERATED */
	BER_EBOOL,	/* malformed BOOLEAN */
	BER_EBITS,	/* malformed BIT STRING */
	BER_ETIME,	/* malformed UTCTime / GeneralizedTime */
	BER_ECONS,	/* primitive where constructed is required or vice versa */
	BER_EUNEXP,	/* unexpected tag */
	BER_EMISSING,	/* mandatory element absent */
	BER_EDUP,	/* element present twice */
	BER_ETRAIL,	/* data after the end of the element */
	BER_ESIZE,	/* value outside its ASN.1 size constraint */
	BER_ENOMEM,	/* out of memory or buffer capacity */
	BER_EIO,	/* read or write of a file failed (errno kept) */
	BER_EVALUE,	/* value not allowed (unknown enumeration, ...) */
	BER_EWRITER,	/* writer misuse: unbalanced open/close */
	BER_NERR
};

struct ber_limits {
	unsigned	max_depth;	/* nesting levels (default 64) */
	size_t		max_tlvs;	/* TLV headers processed (default 4,000,000) */
	size_t		max_len;	/* one element's length (default SIZE_MAX/2) */
};

struct ber_dec {
	struct ber_limits lim;
	size_t		tlvs;		/* TLV headers processed so far */
	int		err;		/* first error, BER_OK if none */
	size_t		err_off;	/* absolute offset of the element */
	const char	*err_field;	/* field being decoded, if known */
};

struct ber_tlv {
	uint8_t		cls;		/* BER_UNIV .. BER_PRIV */
	uint8_t		cons;		/* 1 if constructed */
	uint8_t		indef;		/* 1 if indefinite length */
	uint32_t	tag;		/* tag number */
	size_t		off;		/* absolute offset of the identifier */
	size_t		hdrlen;		/* identifier and length octets */
	struct cur	val;		/* the contents (without EOC octets) */
};

/* Identifier and length octets as ber_hdr_decode() finds them */
struct ber_hdr {
	uint8_t		cls;		/* BER_UNIV .. BER_PRIV */
	uint8_t		cons;		/* 1 if constructed */
	uint8_t		indef;		/* 1 if indefinite length */
	uint32_t	tag;		/* tag number */
	uint64_t	len;		/* contents length (0 if indefinite) */
	size_t		hdrlen;		/* identifier and length octets */
};

/*
 * Content made when the encoding is written: write(arg, fd, out, &n)
 * appends it to fd (out NULL) or to out, n the octets it appended;
 * 0, or -1 with errno.
 */
struct ber_gen {
	int	(*write)(void *, int, struct buf *, uint64_t *);
	void	*arg;
};

/*
 * The contents of an OCTET STRING: memory (p, len; decoded, a view of the
 * input), or for the writer a range of a file (use_fd: fd, off, fdlen)
 * that berw_prim_fd() streams, or with gen set too, fdlen octets that
 * gen makes (berw_prim_gen()).
 */
struct ber_data {
	const uint8_t	*p;
	size_t		 len;
	int		 use_fd;
	int		 fd;
	off_t		 off;
	uint64_t	 fdlen;
	const struct ber_gen *gen;
};

#define BER_HDR_MAX	14	/* 5 identifier octets, 9 length octets */

void	 ber_dec_init(struct ber_dec *);
const char *ber_strerror(int);
int	 ber_fail(struct ber_dec *, int, size_t, const char *);

/* Decoders of SET/SEQUENCE members: errors named by their field */
int	 ber_field(struct ber_dec *, int, const char *);
int	 ber_once(struct ber_dec *, uint32_t *, unsigned,
	    const struct ber_tlv *, const char *);
int	 ber_need(struct ber_dec *, uint32_t, unsigned, size_t, const char *);
int	 ber_want_cons(struct ber_dec *, const struct ber_tlv *, int,
	    const char *);

/* Reading */
int	 ber_hdr_decode(const void *, size_t, struct ber_hdr *);
int	 ber_read(struct ber_dec *, struct cur *, struct ber_tlv *);
int	 ber_peek(struct ber_dec *, const struct cur *, struct ber_tlv *);
int	 ber_is(const struct ber_tlv *, uint8_t, uint32_t);
int	 ber_expect(struct ber_dec *, struct cur *, uint8_t, uint32_t, int,
	    struct ber_tlv *);
int	 ber_read_one(struct ber_dec *, const void *, size_t, struct ber_tlv *);
int	 ber_octets(struct ber_dec *, const struct ber_tlv *, struct buf *,
	    struct cur *);
int	 ber_get_int(struct ber_dec *, const struct ber_tlv *, int64_t *);
int	 ber_get_bool(struct ber_dec *, const struct ber_tlv *, int *);
int	 ber_get_null(struct ber_dec *, const struct ber_tlv *);
int	 ber_get_bits(struct ber_dec *, const struct ber_tlv *, uint64_t *,
	    unsigned *);
int	 ber_get_oid(struct ber_dec *, const struct ber_tlv *, char *, size_t);
int	 ber_get_string(struct ber_dec *, const struct ber_tlv *, int,
	    struct buf *);
int	 ber_get_time(struct ber_dec *, const struct ber_tlv *, int, time_t *);

/* Character sets, OIDs and times without a decoder */
int	 ber_chars_ok(int, const void *, size_t);
int	 ber_oid_to_text(const uint8_t *, size_t, char *, size_t);
int	 ber_oid_from_text(const char *, uint8_t *, size_t, size_t *);
int	 ber_parse_time(int, const char *, size_t, time_t *);

/* Writing */
struct berw_hole {
	size_t		pos;	/* where in the memory part the file bytes go */
	int		fd;
	off_t		off;
	uint64_t	len;
	const struct ber_gen *gen;	/* or made by it (fd, off unused) */
};

#define BERW_MAXDEPTH	64

struct berw {
	struct buf	 b;		/* memory part of the encoding */
	struct berw_hole *holes;	/* file ranges, in position order */
	size_t		 nholes, caph;
	size_t		 open_pos[BERW_MAXDEPTH];
	size_t		 open_holes[BERW_MAXDEPTH];
	uint8_t		 open_id[BERW_MAXDEPTH];
	uint32_t	 open_tag[BERW_MAXDEPTH];
	unsigned	 depth;
	int		 err;
	int		 err_errno;
	const char	*err_field;
};

void	 berw_init(struct berw *);
void	 berw_free(struct berw *);
int	 berw_error(const struct berw *);
uint64_t berw_size(const struct berw *);
int	 berw_open(struct berw *, uint8_t, uint32_t);
int	 berw_close(struct berw *);
int	 berw_prim(struct berw *, uint8_t, uint32_t, const void *, size_t);
int	 berw_prim_fd(struct berw *, uint8_t, uint32_t, int, off_t, uint64_t);
int	 berw_prim_gen(struct berw *, uint8_t, uint32_t, const struct ber_gen *,
	    uint64_t);
int	 berw_prim_data(struct berw *, uint8_t, uint32_t,
	    const struct ber_data *);
int	 berw_prim_berw(struct berw *, uint8_t, uint32_t, const struct berw *);
int	 berw_raw(struct berw *, const void *, size_t);
int	 berw_int(struct berw *, uint8_t, uint32_t, int64_t);
int	 berw_bool(struct berw *, uint8_t, uint32_t, int);
int	 berw_null(struct berw *, uint8_t, uint32_t);
int	 berw_bits(struct berw *, uint8_t, uint32_t, uint64_t, unsigned);
int	 berw_oid(struct berw *, uint8_t, uint32_t, const char *);
int	 berw_string(struct berw *, uint8_t, uint32_t, int, const void *,
	    size_t);
int	 berw_time(struct berw *, uint8_t, uint32_t, int, time_t);
int	 berw_fail(struct berw *, int, const char *);
int	 berw_field(struct berw *, const char *);
int	 berw_bounded(struct berw *, uint8_t, uint32_t, int, const char *,
	    size_t, size_t, size_t, const char *);
int	 berw_write_fd(struct berw *, int);
int	 berw_write_buf(struct berw *, struct buf *);

/* Copy one element with definite minimal lengths (normalisation) */
int	 ber_normalize(struct ber_dec *, struct cur *, struct berw *);

#endif
