/*
 * NAME
 *	ctypes - the editable content-type tables: MIME type -> X.400 body
 *	part (mime-to-x400) and X.400 body part -> MIME type (x400-to-mime)
 * SYNOPSIS
 *	#include "gw/ctypes.h"
 *
 *	struct ctypes ct;
 *
 *	ctypes_init(&ct);
 *	if (ctypes_load_dir(&ct, "/etc/oxgate/mapping", err, sizeof(err))
 *	    != CTYPES_OK)
 *		errx(78, "%s", err);		(err: "FILE:LINE: reason")
 *	e = ctypes_m2x_lookup(&ct, "text/plain", "utf-8", CTYPES_1988);
 *	c = ctypes_choose(e, &props);		(the first choice that fits)
 *	x = ctypes_x2m_lookup(&ct, CTYPES_BP_FTBP, oids, 3, CTYPES_1988);
 *	ctypes_free(&ct);
 * DESCRIPTION
 *	The file formats are in oxgate-content-types(5). In short, a
 *	mime-to-x400 line is
 *
 *	    TYPE/SUBTYPE[;charset=CS]  MODE  CHOICE [| CHOICE ...]
 *
 *	(MODE 1984 = P2 content, 1988 = P22; CHOICE one of ia5, latin1,
 *	file [OID], ftbp [OID], bp14, tunnel; TYPE and SUBTYPE may be "*"),
 *	and an x400-to-mime line is
 *
 *	    BODYPART  MODE  TYPE/SUBTYPE [; ATTR=VALUE ...]
 *
 *	(BODYPART one of ia5, latin1, bp14, "ftbp OID", "ftbp any").
 *	'#' starts a comment; empty lines are skipped.
 *
 *	ctypes_load_dir() reads DIR/mime-to-x400 and DIR/x400-to-mime; a
 *	missing file gives that table's built-in default, which is the
 *	shipped file (etc/mapping/). ctypes_load_text() parses one table
 *	from memory (name is used in errors), adding to what is loaded;
 *	ctypes_builtin() gives both built-in tables (parsed once, freed at
 *	exit).
 *
 *	ctypes_m2x_lookup() gives the line for a MIME type (lower or upper
 *	case), its charset parameter (NULL when absent: a text type
 *	without one is us-ascii, RFC 2046 4.1.2) and the mode, or NULL.
 *	The most specific key wins: an exact type/subtype, before any
 *	subtype of the type ("TYPE/" and a star), before any type (star,
 *	slash, star); at each of these, a key with a charset before one
 *	without. Charset names compare without case, with the aliases of
 *	US-ASCII (ascii, ansi_x3.4-1968, iso646-us, us) and ISO 8859-1
 *	(iso8859-1, iso_8859-1, latin1, l1).
 *
 *	ctypes_choose() gives the first choice of a line that fits the part
 *	(struct ctypes_props): ia5 fits 7-bit text (no control octets but
 *	TAB, CR, LF, FF), latin1 fits text, file fits a part with a
 *	filename; ftbp, bp14 and tunnel always fit (the loader makes every
 *	line end with one of them); NULL only for a NULL line. A file
 *	choice that fits stands for an FTBP with its OID.
 *
 *	ctypes_scan() is that rule over data: it clears *text when the n
 *	octets hold a control octet other than TAB, CR, LF, FF (or DEL),
 *	and *ascii when they hold one of those or an octet above 0x7f.
 *	Called chunk by chunk with both flags set to 1 first; it returns
 *	at once when *text is already 0 (nothing left to learn).
 *
 *	ctypes_x2m_lookup() gives the MIME type for a body part: for an
 *	FTBP the line of the first of its object identifiers (application
 *	reference, document type, data; "" skipped) that has one, else the
 *	"ftbp any" line. A P2 (1984) content carries no extended body
 *	part; one that does anyway is looked up as 1988. NULL when the
 *	table has no line for it (the caller's last resort is
 *	application/octet-stream).
 * DIAGNOSTICS
 *	ctypes_load_dir() and ctypes_load_text() return CTYPES_OK, or
 *	CTYPES_ESYNTAX with "FILE:LINE: reason" in err (an unknown body
 *	part or mode, a bad MIME type or OID, latin1 / file / ftbp in
 *	1984, a duplicate key, a line longer than CTYPES_LINE_MAX, more
 *	than CTYPES_MAX_LINES entries, a line that can end without a body
 *	part), CTYPES_EIO (a file that cannot be read, or larger than
 *	CTYPES_FILE_MAX) or CTYPES_ENOMEM. Nothing here prints or exits.
 */
#ifndef OX_CTYPES_H
#define OX_CTYPES_H

#include <stddef.h>

#define CTYPES_LINE_MAX		512	/* octets per line */
#define CTYPES_MAX_LINES	1000	/* entries per table */
#define CTYPES_FILE_MAX		(1024 * 1024)
#define CTYPES_TOKEN_MAX	64	/* type, subtype, charset, param */
#define CTYPES_OID_MAX		128	/* dotted text */
#define CTYPES_MAX_CHOICES	8
#define CTYPES_MAX_PARAMS	4
#define CTYPES_MIME_MAX		(2 * CTYPES_TOKEN_MAX + 2 + \
				 CTYPES_MAX_PARAMS * (2 * CTYPES_TOKEN_MAX + 3))

#define CTYPES_M2X_FILE		"mime-to-x400"
#define CTYPES_X2M_FILE		"x400-to-mime"

#define CTYPES_OID_CMS		"1.2.840.113549.1.9.16.1.6"

enum ctypes_err {
	CTYPES_OK = 0,
	CTYPES_ESYNTAX,
	CTYPES_EIO,
	CTYPES_ENOMEM
};

enum ctypes_mode { CTYPES_1984, CTYPES_1988 };

enum ctypes_table { CTYPES_M2X, CTYPES_X2M };

enum ctypes_bp {
	CTYPES_BP_NONE,		/* no table choice (fixed body part mode) */
	CTYPES_BP_IA5,		/* [0] ia5-text */
	CTYPES_BP_LATIN1,	/* BP15 general text, ISO 8859-1 */
	CTYPES_BP_BP14,		/* [14] bilaterally-defined */
	CTYPES_BP_FTBP,		/* file-transfer body part */
	CTYPES_BP_FILE,		/* FTBP if the part has a filename */
	CTYPES_BP_TUNNEL	/* the whole MIME entity in BP14 */
};

struct ctypes_choice {
	enum ctypes_bp	 bp;
	char		 oid[CTYPES_OID_MAX];	/* ftbp, file; "" none */
};

/* One mime-to-x400 line. */
struct ctypes_m2x {
	char		 type[CTYPES_TOKEN_MAX];	/* lower case, or "*" */
	char		 subtype[CTYPES_TOKEN_MAX];
	char		 charset[CTYPES_TOKEN_MAX];	/* canonical, "" any */
	enum ctypes_mode mode;
	size_t		 n;
	struct ctypes_choice c[CTYPES_MAX_CHOICES];
	unsigned	 line;
};

/* One x400-to-mime line. */
struct ctypes_x2m {
	enum ctypes_bp	 bp;
	char		 oid[CTYPES_OID_MAX];	/* ftbp: "" = any */
	enum ctypes_mode mode;
	char		 type[CTYPES_TOKEN_MAX];	/* lower case */
	char		 subtype[CTYPES_TOKEN_MAX];
	size_t		 nparam;
	char		 attr[CTYPES_MAX_PARAMS][CTYPES_TOKEN_MAX];
	char		 value[CTYPES_MAX_PARAMS][CTYPES_TOKEN_MAX];
	unsigned	 line;
};

struct ctypes {
	size_t		 nm2x;
	struct ctypes_m2x *m2x;
	size_t		 nx2m;
	struct ctypes_x2m *x2m;
};

/* What ctypes_choose() looks at in a decoded MIME part. */
struct ctypes_props {
	int		 text;		/* no control octets */
	int		 ascii;		/* ... and 7-bit */
	int		 named;		/* has a filename */
};

void	 ctypes_init(struct ctypes *);
void	 ctypes_free(struct ctypes *);
int	 ctypes_load_dir(struct ctypes *, const char *, char *, size_t);
int	 ctypes_load_text(struct ctypes *, enum ctypes_table, const char *,
	    const char *, size_t, char *, size_t);
const struct ctypes *ctypes_builtin(void);
const char *ctypes_builtin_text(enum ctypes_table);
const struct ctypes_m2x *ctypes_m2x_lookup(const struct ctypes *,
	    const char *, const char *, enum ctypes_mode);
const struct ctypes_choice *ctypes_choose(const struct ctypes_m2x *,
	    const struct ctypes_props *);
const struct ctypes_x2m *ctypes_x2m_lookup(const struct ctypes *,
	    enum ctypes_bp, const char *const *, size_t, enum ctypes_mode);
void	 ctypes_scan(const void *, size_t, int *, int *);
const char *ctypes_bp_name(enum ctypes_bp);
const char *ctypes_charset_canon(const char *);

#endif
