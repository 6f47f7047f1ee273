/*
 * NAME
 *	handin - the fields of a virtual file as an OFTP daemon hands them
 *	over: options, OFTP_* environment variables, a JSON object
 * SYNOPSIS
 *	#include "oftp/handin.h"
 *
 *	struct sfid s;
 *	char path[HANDIN_PATH_MAX] = "";
 *
 *	sfid_init(&s);
 *	handin_json(&s, text, len, path, sizeof(path), err, sizeof(err));
 *	handin_env(&s, environ, path, sizeof(path), err, sizeof(err));
 *	handin_set(&s, "virtualFileName", "INVOIC", path, sizeof(path),
 *	    err, sizeof(err));
 * DESCRIPTION
 *	One table names each field of the Start File command three ways:
 *	the key of the .sfid file (oxgate-sfid(5): dsn, date, time, user,
 *	dest, orig, format, lrecl, fsize, osize, sec, ciph, comp, env, sign,
 *	desc), the member of the JSON object an Oftp4Net-style hook gets on
 *	standard input (virtualFileName, fileDate, fileTime, userData,
 *	destination, originator, fileFormat, maximumRecordSize, fileSize,
 *	fileSizeUnpacked, securityLevel, cipherSuite, compression,
 *	envelopingFormat, signedEerpRequest, description), and the
 *	environment variable made of that member (OFTP_ and the member's
 *	words in upper case joined by '_': OFTP_VIRTUAL_FILE_NAME). A
 *	fourth name, filePath (OFTP_FILE_PATH, key "path"), is the file
 *	that holds the payload. Two more are for the end-to-end response a
 *	daemon received for a file: reasonCode (OFTP_REASON_CODE, 0 for an
 *	EERP, else the NERP's reason) and reasonText (OFTP_REASON_TEXT),
 *	kept as the [oxgate] pairs "reason" and "reason-text" of the sfid.
 *	The values follow the .sfid's rules
 *	(sfid_set()): SFID fields exactly (CCYYMMDD, HHMMSScccc, sizes in
 *	1 KiB blocks), so a hook that has them as the daemon received them
 *	passes them on unchanged.
 *
 *	handin_set() sets the field NAME (any of its names) to VALUE.
 *	handin_env() takes every OFTP_* variable of the table from an
 *	environment (other OFTP_* variables, which daemons set too, are
 *	ignored). handin_json() takes the members of the table from one
 *	JSON object (jansson; at most HANDIN_JSON_MAX octets, a member given
 *	twice is an error): strings, or integers for the numeric fields;
 *	other members (status, partner, ...) are ignored, a member of the
 *	table with a value of another type is an error. Later calls
 *	override earlier ones, so a caller applies its sources from the
 *	weakest to the strongest.
 *	handin_each() is the way back, for a puller: fn(member, variable,
 *	value, arg) for every field of a .sfid (not filePath), the value as
 *	the .sfid writes it.
 * DIAGNOSTICS
 *	Functions return SFID_OK or an SFID_E* code (oftp/sfid.h), with one
 *	line in err naming the field by the name it was given
 *	("OFTP_FILE_DATE: date: ..."). A path longer than its buffer is
 *	SFID_ELIMIT.
 */
#ifndef OX_HANDIN_H
#define OX_HANDIN_H

#include <stddef.h>

#include "oftp/sfid.h"

#define HANDIN_JSON_MAX	65536
#define HANDIN_PATH_MAX	4096

typedef void	handin_fn(const char *, const char *, const char *, void *);

int	 handin_set(struct sfid *, const char *, const char *, char *, size_t,
	    char *, size_t);
int	 handin_env(struct sfid *, char *const *, char *, size_t, char *,
	    size_t);
int	 handin_json(struct sfid *, const char *, size_t, char *, size_t,
	    char *, size_t);
void	 handin_each(const struct sfid *, handin_fn *, void *);

#endif
