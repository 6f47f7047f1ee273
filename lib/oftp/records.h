/*
 * NAME
 *	records - the records of an OFTP virtual file payload
 * SYNOPSIS
 *	#include "oftp/records.h"
 * DESCRIPTION
 *	A payload in the spool is stored in its SFIDFMT (RFC 5024 1.5.3):
 *	  F  concatenated records of exactly lrecl octets. RFC 5024 1.5.3
 *	     says every record of a fixed file has the same length, so a
 *	     short last record is an error (REC_ESHORT).
 *	  V  each record preceded by its length, 2 octets big-endian, not
 *	     counting itself (RFC 5024 6.5). A record longer than lrecl is
 *	     an error; a record of length 0 is allowed.
 *	  T  lines of at most 2048 octets, each ended by CR LF; a CR not
 *	     followed by LF, or an LF not preceded by CR, is an error. The
 *	     last line may lack its CR LF (the RFC says CR LF delimits
 *	     lines); rec_write() always ends a line with CR LF. With
 *	     REC_STRICT, the RFC's "ASCII, no control characters" rule is
 *	     also enforced (octets 0x00-0x1f, 0x7f and 0x80-0xff refused).
 *	  U  one opaque record: the whole payload.
 *	An empty payload has no records in every format.
 *
 *	rec_iter_init() starts an iteration over a cursor (the caller's
 *	cursor is copied, not advanced); rec_next() returns each record as a
 *	view into the payload, with its 1-based number and the absolute
 *	offset of its first data octet. rec_scan() runs through a whole
 *	payload and counts its records. rec_write() appends one record in a
 *	format to a buf.
 * DIAGNOSTICS
 *	rec_next() returns REC_OK with a record, REC_END after the last one,
 *	or a REC_E* code; after an error the iterator stays failed, and
 *	rec_errmsg() writes "record N at offset O: why" into a caller
 *	buffer. rec_write() returns REC_OK or a REC_E* code.
 */
#ifndef OX_RECORDS_H
#define OX_RECORDS_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/cur.h"

#define REC_T_LINE_MAX	2048
#define REC_V_MAX	65535	/* largest length a V prefix can say */
#define REC_STRICT	0x01	/* T: ASCII without control characters */

enum rec_err {
	REC_OK = 0,
	REC_END,	/* no more records */
	REC_EFORMAT,	/* unknown format, or lrecl wrong for the format */
	REC_ESHORT,	/* F: last record shorter than lrecl */
	REC_ETRUNC,	/* V: length prefix or record data cut off */
	REC_ETOOLONG,	/* V: record above lrecl; T: line above 2048 */
	REC_ELENGTH,	/* rec_write: record of the wrong length */
	REC_EBARECR,	/* T: CR not followed by LF */
	REC_EBARELF,	/* T: LF not preceded by CR */
	REC_ECHAR,	/* T with REC_STRICT: control or non-ASCII octet */
	REC_ENOMEM
};

struct rec {
	const uint8_t	*p;	/* record data, in the payload */
	size_t		 len;
	uint64_t	 num;	/* 1-based */
	size_t		 off;	/* absolute offset of the data */
};

struct rec_iter {
	struct cur	 c;
	char		 format;
	uint32_t	 lrecl;
	unsigned	 flags;
	uint64_t	 n;		/* records returned so far */
	int		 err;		/* sticky REC_E* code, or REC_OK */
	uint64_t	 err_num;	/* record number of the error */
	size_t		 err_off;	/* absolute offset of the error */
	uint8_t		 err_octet;	/* REC_ECHAR: the octet */
	size_t		 err_len;	/* REC_ETOOLONG: the length found */
};

int	 rec_iter_init(struct rec_iter *, const struct cur *, char, uint32_t,
	    unsigned);
int	 rec_next(struct rec_iter *, struct rec *);
int	 rec_scan(const struct cur *, char, uint32_t, unsigned, uint64_t *,
	    char *, size_t);
int	 rec_write(struct buf *, char, uint32_t, const void *, size_t);
int	 rec_errmsg(const struct rec_iter *, char *, size_t);
const char *rec_strerror(int);

#endif
