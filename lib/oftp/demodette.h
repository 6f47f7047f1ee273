/*
 * NAME
 *	demodette - the file names and XML sidecars of DEModette's
 *	per-partner directories
 * SYNOPSIS
 *	#include "oftp/demodette.h"
 *
 *	struct dmo_name n;
 *	struct dmo_xml x;
 *
 *	if (dmo_name_parse("O0013RITA#INVOIC#202612071011120001.recv", &n,
 *	    err, sizeof(err)) < 0) ...
 *	dmo_xml_init(&x);
 *	if (dmo_xml_parse(&x, text, len, err, sizeof(err)) < 0) ...
 *	dmo_xml_build(&x, &buf);
 *	dmo_xml_free(&x);
 * DESCRIPTION
 *	DEModette (an open source OFTP daemon) keeps one "in" and one "out"
 *	directory per partner. A file is named ID#VFN#STAMP.STATE: ID the
 *	originator (in) or the destination (out) as an ODETTE ID, VFN the
 *	virtual file name (SFIDDSN), STAMP the 18 digits yyyyMMddHHmmssffff,
 *	which are SFIDDATE (8) followed by SFIDTIME (10), and STATE the
 *	file's state: in, new (being received), recv (received), se2e (the
 *	end-to-end response is to be sent), done; out, sent (to be sent),
 *	we2e (waiting for the EERP/NERP), re2e (it came), done. Beside it,
 *	ID#VFN#STAMP.xml holds <oftp> with <description format
 *	maximumRecordSize fileSize fileSizeUnpacked>text</description>, an
 *	optional <commit reasonCode reasonText userData/> (the end-to-end
 *	response: reasonCode 0 an EERP, else a NERP with that reason), and
 *	for a V file <records> with one <r o="OFFSET" l="LENGTH"/> per
 *	record (the payload holds the records without length prefixes).
 *	oxgate adds <oxgate dest="ID"/> to the sidecar of a file it hands
 *	to DEModette (the SFIDDEST, which the name does not keep); DEModette
 *	keeps elements it does not know when it rewrites a sidecar.
 *
 *	dmo_name_parse() splits a name (the ID and VFN by the X character
 *	set of RFC 5024 5.1, at most 25 and 26 characters; STAMP a real
 *	date and time); dmo_name_make() builds one. dmo_xml_parse() reads a
 *	sidecar with expat: at most DMO_XML_MAX octets, UTF-8, UTF-16,
 *	ISO-8859-1 or US-ASCII as its declaration says; a document type
 *	declaration or any entity declaration is refused (no entity is
 *	ever expanded), as is a root other than <oftp>; elements it does
 *	not know are skipped. dmo_xml_build() writes a sidecar (UTF-8) with
 *	what x holds, the description escaped.
 * DIAGNOSTICS
 *	dmo_name_parse() and dmo_xml_parse() return 0, or -1 with one line
 *	in err naming the field or the line and column of the XML.
 *	dmo_xml_build() returns -1 only when out of memory.
 */
#ifndef OX_DEMODETTE_H
#define OX_DEMODETTE_H

#include <stddef.h>
#include <stdint.h>

#include "oftp/sfid.h"
#include "util/buf.h"

#define DMO_XML_MAX	(64u << 20)
#define DMO_STATE_MAX	8

struct dmo_name {
	char	 id[SFID_ID_LEN + 1];
	char	 vfn[SFID_DSN_LEN + 1];
	char	 date[9];		/* SFIDDATE */
	char	 time[11];		/* SFIDTIME */
	char	 state[DMO_STATE_MAX + 1];
};

struct dmo_rec {
	uint64_t off;
	uint32_t len;
};

struct dmo_xml {
	char		 format;	/* F V U T; 'U' when not given */
	uint32_t	 lrecl;
	int64_t		 fsize;		/* -1: not given */
	int64_t		 fsize_unpacked;
	char		 desc[SFID_DESC_MAX + 1];
	int		 has_commit;
	unsigned	 reason;	/* commit reasonCode */
	char		 reason_text[SFID_DESC_MAX + 1];
	char		 user[SFID_USER_LEN + 1];
	struct dmo_rec	*rec;		/* <records>, nrec of them */
	size_t		 nrec, caprec;
	int		 has_records;
	char		 dest[SFID_ID_LEN + 1];	/* <oxgate dest>: oxgate's own */
};

int	 dmo_name_parse(const char *, struct dmo_name *, char *, size_t);
int	 dmo_name_make(const char *, const char *, const char *, const char *,
	    const char *, char *, size_t);
void	 dmo_xml_init(struct dmo_xml *);
void	 dmo_xml_free(struct dmo_xml *);
int	 dmo_xml_parse(struct dmo_xml *, const char *, size_t, char *, size_t);
int	 dmo_xml_build(const struct dmo_xml *, struct buf *);

#endif
