/*
 * NAME
 *	xdec - the decoding steps the X.400 codecs (P1, P22, P35) share
 * SYNOPSIS
 *	#include "x400/xdec.h"
 * DESCRIPTION
 *	A struct xdec names where a decoder records errors (d), its string
 *	scratch buffer (s), the arena its values are kept in, and the room
 *	for the text of an unexpected tag (errtext, in the decoded PDU).
 *	xdec_init() fills one in.
 *
 *	Each getter reads one element that the caller has already matched
 *	by class and tag, checks it against its ASN.1 type and bounds, and
 *	on failure records the error with the ASN.1 field it was decoding:
 *
 *	xdec_unknown()	an element that is no member of `where`: BER_EUNEXP,
 *			the field text naming the tag ("[APPLICATION 3] in
 *			heading"); the first error's text is never replaced.
 *	xdec_int()	INTEGER or ENUMERATED within lo..hi (BER_EVALUE).
 *	xdec_str()	a string of universal type `type` (characters checked,
 *			constructed form reassembled), lo..hi octets
 *			(BER_ESIZE), no NUL inside (BER_ECHARS), into out
 *			(room hi + 1, NUL-terminated); *outlen if not NULL.
 *	xdec_time()	UTCTime or GeneralizedTime (`type`).
 *	xdec_bool()	BOOLEAN.
 *	xdec_bits()	BIT STRING as a mask, at most maxbits (BER_ESIZE).
 *	xdec_oid()	OBJECT IDENTIFIER as dotted text (room outsz). The tag
 *			is not checked: under IMPLICIT TAGS an OID may carry
 *			a context tag (X.690 8.14.3), so the caller matches it.
 *	xdec_inner()	the one element inside an explicit tag (around a
 *			CHOICE or an open type): BER_ECONS for a primitive,
 *			BER_EMISSING for an empty one, BER_ETRAIL for more.
 *	xdec_count()	count the elements of c: lo..max (BER_ESIZE).
 *	xdec_alloc_n()	room for n values of size octets in the arena.
 *	xdec_keep()	a finished writer's encoding copied into the arena
 *			(*p NULL, *len 0 when it is empty); at most max
 *			octets unless max is 0.
 *	xdec_norm()	the elements of c (all, or the first when one),
 *			normalised (ber_normalize) and kept as one opaque
 *			value; at most max octets unless max is 0.
 *	xdec_add()	append the first element of c, normalised, to w.
 * DIAGNOSTICS
 *	BER_OK or the BER_E* code recorded in d (xdec_alloc_n: NULL).
 */
#ifndef OX_XDEC_H
#define OX_XDEC_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "asn1/ber.h"
#include "util/arena.h"
#include "util/buf.h"

struct xdec {
	struct ber_dec	*d;
	struct buf	*s;		/* scratch for strings */
	struct arena	*arena;		/* where kept values live */
	char		*errtext;	/* room for xdec_unknown()'s text */
	size_t		 errtextsz;
};

void	 xdec_init(struct xdec *, struct ber_dec *, struct buf *,
	    struct arena *, char *, size_t);
int	 xdec_unknown(struct xdec *, const struct ber_tlv *, const char *);
int	 xdec_int(struct xdec *, const struct ber_tlv *, int64_t, int64_t,
	    int64_t *, const char *);
int	 xdec_str(struct xdec *, const struct ber_tlv *, int, size_t, size_t,
	    char *, size_t *, const char *);
int	 xdec_time(struct xdec *, const struct ber_tlv *, int, time_t *,
	    const char *);
int	 xdec_bool(struct xdec *, const struct ber_tlv *, int *, const char *);
int	 xdec_bits(struct xdec *, const struct ber_tlv *, unsigned, uint64_t *,
	    const char *);
int	 xdec_oid(struct xdec *, const struct ber_tlv *, char *, size_t,
	    const char *);
int	 xdec_inner(struct xdec *, const struct ber_tlv *, struct ber_tlv *,
	    const char *);
int	 xdec_count(struct xdec *, struct cur, size_t, size_t, size_t,
	    size_t *, const char *);
void	*xdec_alloc_n(struct xdec *, size_t, size_t, size_t, const char *);
int	 xdec_keep(struct xdec *, struct berw *, size_t, size_t,
	    const uint8_t **, size_t *, const char *);
int	 xdec_norm(struct xdec *, struct cur, int, size_t, size_t,
	    const uint8_t **, size_t *, const char *);
int	 xdec_add(struct xdec *, struct cur, struct berw *, const char *);

#endif
