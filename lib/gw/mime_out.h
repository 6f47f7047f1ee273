/*
 * NAME
 *	mime_out - an IPM as a MIME entity for an OFTP payload: body parts
 *	as MIME parts, the IPM heading as RFC 822 header fields (GMime 3)
 * SYNOPSIS
 *	#include "gw/mime_out.h"
 *
 *	struct mime_out	 m;
 *
 *	mime_out_init(&m);
 *	m.mixer = mx;  m.ctypes = ct;  m.mode = CTYPES_1988;
 *	m.ipm = &ipm;  m.env_orig = &env->originator;  m.to = &rcpt->name;
 *	m.subject = "...";  m.date = arrival;  m.boundary = "_oxgate_...";
 *	m.header = 1;  m.fd = in;  m.map = map;  m.maplen = maplen;
 *	m.warn = warn_fn;  m.arg = ctx;
 *	if (mime_out_write(&m, out_fd, desc, sizeof(desc)) < 0)
 *		... not written ...
 *
 *	mime_out_header(&m, &b);	(the header fields alone, CR LF lines)
 * DESCRIPTION
 *	mime_out_write() writes the MIME entity of the IPM m.ipm into the
 *	file descriptor fd, lines ending CR LF: the one body part as a MIME
 *	part, several as a multipart/mixed with boundary m.boundary. With
 *	m.header the entity starts with its header (mime_out_header(), then
 *	the part's own fields, Content-Type and the like); otherwise it
 *	holds the body only and desc gets the Content-Type field, unfolded
 *	("Content-Type: ...").
 *
 *	Each body part's MIME type comes from the content-type table
 *	m.ctypes (mapping/x400-to-mime, oxgate-content-types(5)) for its
 *	kind (IA5, general text, bilateral, FTBP with its object
 *	identifiers) and m.mode; application/octet-stream when it has no
 *	line. IA5 text goes 7bit, general text quoted-printable, anything
 *	else base64. An FTBP's filename is its pathname's last component
 *	made safe (octets outside printable ASCII and '/', '\\', ':', '"'
 *	become '_', runs of dots one dot, no leading dot; "partN" when
 *	nothing is left); an S/MIME FTBP is smime.p7m; a forwarded IPM or
 *	other part its BER, named partN.ber. A part whose data lies in the
 *	mapping m.map of the file m.fd is read from the file (a bounded
 *	stream), not copied.
 *
 *	mime_out_header() appends the header fields, in order:
 *	MIME-Version 1.0; From, To, Cc, Message-ID, In-Reply-To, References
 *	and Supersedes from the IPM heading (RFC 2156 5.3.4: originator ->
 *	From, primary-recipients -> To, copy-recipients -> Cc, this-IPM ->
 *	Message-ID by 4.7.3.4, replied-to-IPM -> In-Reply-To, related-IPMs
 *	-> References, both with the phrase form of 4.7.3.5, obsoleted-IPMs
 *	-> Supersedes; an identifier that does not map is left out); From is the
 *	heading's originator, else the envelope's m.env_orig; To the
 *	primary recipients with a formal name, else m.to; Cc the copy
 *	recipients (no field when none). An O/R address maps to RFC 822 by
 *	the RFC 2156 tables m.mixer (4.3.5, mixer_or_to_822); one that does
 *	not map is left out of a list, and as From or To its std-or text is
 *	the last resort, never an empty field. An ORDescriptor gives
 *	"display name <address>" (RFC 2156 4.7.2, our reading): its free-form
 *	name, else "Given I. Surname" of its formal name, converted from
 *	T.61 to UTF-8, control characters as spaces; a printable ASCII name
 *	as a quoted string, any other as RFC 2047 encoded words (UTF-8).
 *	Subject (RFC 2156 5.3.4, subject) is m.subject, UTF-8, encoded as
 *	RFC 2047 words when not ASCII; no field when empty. Date is m.date
 *	in UTC.
 *
 *	m.warn, when set, is told why an address or the IPM identifier did
 *	not map (the output goes on without it).
 * DIAGNOSTICS
 *	mime_out_write() returns 0, or -1 when the entity could not be
 *	written to fd.
 */
#ifndef OX_MIME_OUT_H
#define OX_MIME_OUT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "gw/ctypes.h"
#include "util/buf.h"
#include "x400/mixer.h"
#include "x400/orname.h"
#include "x400/p22.h"

struct mime_out {
	const struct mixer	*mixer;		/* RFC 2156 tables */
	const struct ctypes	*ctypes;	/* x400-to-mime, or NULL */
	enum ctypes_mode	 mode;		/* CTYPES_1984 for P2 */
	const struct p22_content *ipm;		/* heading and body parts */
	const struct orname	*env_orig;	/* the envelope's originator */
	const struct orname	*to;		/* To when no primary recipient */
	const char		*subject;	/* UTF-8, one line, or "" */
	time_t			 date;
	const char		*boundary;	/* of a multipart */
	int			 header;	/* write the MIME header */
	int			 fd;		/* the file the data is in */
	const uint8_t		*map;		/* its mapping */
	size_t			 maplen;
	void			(*warn)(void *, const char *);
	void			*arg;
};

void	 mime_out_init(struct mime_out *);
void	 mime_out_header(const struct mime_out *, struct buf *);
int	 mime_out_write(const struct mime_out *, int, char *, size_t);

#endif
