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
 *
 *	The streaming writer turns content into records of a format, a
 *	chunk at a time, into a file descriptor (buffered, REC_WBUF octets
 *	at a time): rec_writer_init() with the format, lrecl, whether the
 *	content is text and the descriptor; rec_writer_put() as often as
 *	content comes; rec_writer_finish() ends the last line or record,
 *	flushes and frees. U: the octets as they are. T: CR LF lines; a
 *	bare LF gets its CR, a bare CR ends a line, a line longer than
 *	REC_T_LINE_MAX is broken. F: records of lrecl octets, the last one
 *	padded with spaces (every F record has lrecl octets). V: records of
 *	at most lrecl octets (at most REC_V_MAX: the length prefix has 2
 *	octets); a text's lines (CR LF, CR or LF ended) are records each.
 *	The writer's written counts the octets written.
 *	rec_lrecl_ok() is the one rule for a format's lrecl: 1 to
 *	SFID_LRECL_MAX for F and V, 0 for T and U.
 * DIAGNOSTICS
 *	rec_next() returns REC_OK with a record, REC_END after the last one,
 *	or a REC_E* code; after an error the iterator stays failed, and
 *	rec_errmsg() writes "record N at offset O: why" into a caller
 *	buffer. rec_write() returns REC_OK or a REC_E* code.
 *	rec_writer_init() returns REC_OK, REC_EFORMAT or REC_ENOMEM;
 *	rec_writer_finish() returns 0, or -1 with errno of the first write
 *	that failed (rec_writer_put() writes nothing more after it).
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
#define REC_WBUF	65536	/* the streaming writer's buffer */

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

/* The streaming writer: content in, records of a format out to fd. */
struct rec_writer {
	char		 format;
	uint32_t	 lrecl;
	int		 text;
	int		 fd;
	uint8_t		*rec;		/* F, V: the record being filled */
	size_t		 rlen;
	size_t		 linelen;	/* T: octets on the current line */
	int		 cr;		/* last octet was a CR */
	uint8_t		 out[REC_WBUF];
	size_t		 olen;
	uint64_t	 written;
	int		 err;		/* errno of a failed write */
};

int	 rec_lrecl_ok(char, uint32_t);
int	 rec_iter_init(struct rec_iter *, const struct cur *, char, uint32_t,
	    unsigned);
int	 rec_next(struct rec_iter *, struct rec *);
int	 rec_scan(const struct cur *, char, uint32_t, unsigned, uint64_t *,
	    char *, size_t);
int	 rec_write(struct buf *, char, uint32_t, const void *, size_t);
int	 rec_writer_init(struct rec_writer *, char, uint32_t, int, int);
void	 rec_writer_put(struct rec_writer *, const void *, size_t);
int	 rec_writer_finish(struct rec_writer *);
int	 rec_errmsg(const struct rec_iter *, char *, size_t);
const char *rec_strerror(int);

#endif
