/*
 * NAME
 *	config - the gateway configuration files oxgate.ini and partners.ini
 * SYNOPSIS
 *	#include "gw/config.h"
 *
 *	struct ox_config cfg;
 *	char	 err[CONFIG_ERR_MAX];
 *
 *	if (config_load(config_default_path(), &cfg, err, sizeof(err)) !=
 *	    CONFIG_OK)
 *		errx(EX_CONFIG, "%s", err);
 *
 *	struct ox_partners ps;
 *
 *	if (partners_load(path, &ps, err, sizeof(err)) != CONFIG_OK)
 *		errx(EX_CONFIG, "%s", err);
 *	p = partner_by_odette(&ps, sfid.dest);
 *	partners_free(&ps);
 * DESCRIPTION
 *	config.c reads oxgate.ini, partners.c partners.ini, each through a
 *	table of its keys (conftab.h) that says where a value goes, its
 *	default and its check.
 *
 *	config_load() reads oxgate.ini (see oxgate.ini(5)) into a struct
 *	ox_config. config_init() sets every field to its documented default;
 *	config_load() starts from those defaults and then applies the keys of
 *	the file, checking each one. Relative paths in the file are made
 *	relative to the directory of the file itself, so the result does not
 *	depend on the working directory of the program. The trace database
 *	defaults to trace.db in the spool root.
 *
 *	config_default_path() is $OXGATE_CONF when that is set and not empty,
 *	else OX_SYSCONFDIR "/oxgate/oxgate.ini".
 *
 *	The struct holds no pointers: it may be copied and needs no freeing.
 *
 *	partners_load() reads partners.ini (see partners.ini(5)): one struct
 *	ox_partner per section, in file order, each from partner_init()
 *	defaults; the rules between keys and the uniqueness of every ODETTE
 *	ID (a virtual station ID may be shared by partnerships of different
 *	stations) and every local address given over all partners are checked after
 *	the whole file. In both files a section given twice (in any case) or
 *	a key given twice in a section is refused, not merged. The array is
 *	allocated; partners_free() releases it (on error there is nothing to
 *	free). partner_by_name() finds the partner of a section name (lower
 *	case, as stored). partner_by_odette() finds the partner of an
 *	ODETTE ID: its own, a routed one, or the virtual station ID
 *	PARTNER_VSTATION + userid, compared upper-cased (odette_id_eq()).
 *	partner_by_vstation() finds the partnership of a file to a virtual
 *	station ID from an OFTP station: several partnerships may share a
 *	user ID when their stations (odette) differ, and the one of the
 *	sending station (its odette or a routed one) is taken, else the
 *	first with that ID (the caller refuses the station), else
 *	partner_by_odette(). partner_by_orname() finds the partner named by
 *	a domain-defined attribute ODETTEID of the address, else the partner
 *	whose local or x400 address matches it; every O/R comparison is
 *	ormatch_name()'s (X.402 18.4 and NIST OIW Part 8 B.1: without regard
 *	to case, spaces at the ends and repeated spaces not significant,
 *	teletex values against printable ones; ormatch(3)). Two local
 *	addresses that match so are refused as duplicates. All return NULL
 *	when there is none. Every ODETTE ID (station-id, odette, routed) is
 *	checked by odette_check_id(), and the default "local" address is
 *	odette_to_or() (odette(3)).
 *	partner_timer() gives the hours of a timer of a partnership (NULL:
 *	none known): its own key when given, else oxgate.ini's [timers];
 *	delivery-timer and eerp-timer are refused in transfer mode, where
 *	the X.400 expiry is the message's one timer.
 *
 *	Certificates per station (the seed: "ueber ein allgemeines
 *	(OFTP-Service), oder wenn der X.400 Partner ueber eine lokale,
 *	virtuelle Station angesprochen wird, ueber ein individuelles
 *	Zertifikat"; "fuer jede geroutete Station ein eigenes Zertifikat").
 *	partner_cert() is the certificate of an OFTP station of the
 *	partnership, the one its signatures are checked with and files to
 *	it are encrypted for: a routed station's own (routed-certificate),
 *	else the partnership's certificate ("" when none).
 *	partner_own_keys() is our key and certificate when the gateway is
 *	the OFTP station local (SFIDDEST of a file in, SFIDORIG of a file
 *	out, EERPORIG): the partnership's virtual station's own pair
 *	(station-key, station-certificate) when local is that virtual
 *	station ID, else [security] key and certificate of oxgate.ini; p may
 *	be NULL; it returns 1 when both are configured, else 0. partner_keys_load() loads both (cms_keys_load(), an empty
 *	path left out). partners_keys_check() loads every certificate and
 *	key the configuration names (the general pair, each partnership's)
 *	and checks that each key matches its certificate, for oxtrace
 *	--check-config; *n counts the files read.
 * DIAGNOSTICS
 *	config_load() returns CONFIG_OK or a CONFIG_E* code and writes one
 *	line into err naming the file, the section and key, and the reason,
 *	e.g. "/etc/oxgate/oxgate.ini: [oftp] max-file-size: bad suffix 'X'
 *	(K, M or G)"; a syntax error names the line instead, and a section
 *	or key given twice, or a value that must be unique, also the line of
 *	the first: "partners.ini: line 9: [acme] mode given twice (first at
 *	line 7)". Nothing here prints or exits. partners_load() reports in
 *	the same way.
 *	config_load() and partners_load() are not thread-safe (iniparser's error
 *	callback is global).
 */
#ifndef OX_CONFIG_H
#define OX_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "x400/orname.h"

#define CONFIG_PATH_MAX		1024
#define CONFIG_ERR_MAX		512
#define CONFIG_ID_LEN		25	/* an ODETTE ID, X(25) */
#define CONFIG_MTA_NAME_MAX	32	/* X.411 ub-mta-name-length */
#define CONFIG_DESIGNATOR_LEN	12	/* see gw/ident.h */
#define CONFIG_DOMAIN_MAX	255	/* an RFC 822 domain */
#define CONFIG_FILE_MAX		65536	/* a larger oxgate.ini is refused */
#define CONFIG_LISTEN_MAX	64	/* [web] listen: an IP address */

enum config_err {
	CONFIG_OK = 0,
	CONFIG_EIO,	/* cannot read the file */
	CONFIG_ESYNTAX,	/* the INI file does not parse */
	CONFIG_EKEY,	/* unknown section or key */
	CONFIG_EVALUE,	/* a value breaks its rule */
	CONFIG_ENOMEM
};

#define CONFIG_ARCHIVE_OFF	0
#define CONFIG_ARCHIVE_TGZ	1
#define CONFIG_ARCHIVE_ZIP	2

/* X.411 Priority: the index of ox_config.expiry. */
enum config_prio {
	CONFIG_PRIO_NORMAL = 0,
	CONFIG_PRIO_NON_URGENT = 1,
	CONFIG_PRIO_URGENT = 2,
	CONFIG_PRIO_N
};

/*
 * The timers of a partnership in agent mode (partners.ini delivery-timer,
 * eerp-timer, eerp-out-timer; defaults in oxgate.ini [timers]): how long
 * a file for the station waits in oftp/out or hold/, how long the
 * gateway then waits for the station's EERP, how long an EERP/NERP for
 * the station waits in oftp/eerp.out. partner_timer() gives the hours.
 */
enum config_timer {
	CONFIG_TIMER_DELIVERY = 0,
	CONFIG_TIMER_EERP,
	CONFIG_TIMER_EERP_OUT,
	CONFIG_TIMER_N
};

struct ox_config {
	char	 path[CONFIG_PATH_MAX];		/* the file loaded, or "" */
	char	 spool[CONFIG_PATH_MAX];	/* [spool] root */
	char	 tracedb[CONFIG_PATH_MAX];	/* [trace] database: a path
					   (SQLite) or postgresql:CONNINFO */
	unsigned purgetime;			/* [spool] purgetime, hours */
	int	 archive;			/* [spool] archive */
	unsigned archive_retention;		/* [spool] archive-retention, h */
	unsigned tmp_age;			/* [spool] tmp-age, hours */
	unsigned batch;				/* [spool] batch, items */
	unsigned batch_ms;			/* [spool] batch-time, ms */
	unsigned queue_lifetime;		/* [spool] queue-lifetime,
						   hours */
	struct orname local_domain;		/* [x400] local-domain */
	char	 mta_name[CONFIG_MTA_NAME_MAX + 1]; /* [x400] mta-name */
	char	 mta_designator[CONFIG_DESIGNATOR_LEN + 1]; /* [x400]
						    mta-designator */
	struct orname gdi;			/* [x400] global-domain */
	int	 ps_style;			/* [x400] ps-escape, OR_PS_* */
	unsigned expiry[CONFIG_PRIO_N];		/* [expiry] hours */
	unsigned timer[CONFIG_TIMER_N];		/* [timers] hours */
	char	 station_id[CONFIG_ID_LEN + 1];	/* [oftp] station-id */
	uint64_t max_file_size;			/* [oftp] max-file-size, octets */
	char	 certificate[CONFIG_PATH_MAX];	/* [security] certificate */
	char	 key[CONFIG_PATH_MAX];		/* [security] key */
	int	 sandbox;			/* [security] sandbox, 0 / 1 */
	char	 partners[CONFIG_PATH_MAX];	/* [oftp] partners */
	char	 mapping[CONFIG_PATH_MAX];	/* [x400] mapping (directory) */
	char	 rfc822_domain[CONFIG_DOMAIN_MAX + 1]; /* [x400] rfc822-domain,
						   "" when not set */
	char	 web_listen[CONFIG_LISTEN_MAX];	/* [web] listen */
	unsigned web_port;			/* [web] port */
	char	 web_users[CONFIG_PATH_MAX];	/* [web] users */
	char	 web_cert[CONFIG_PATH_MAX];	/* [web] certificate, "" */
	char	 web_key[CONFIG_PATH_MAX];	/* [web] key, "" */
};

void	 config_init(struct ox_config *);
int	 config_load(const char *, struct ox_config *, char *, size_t);
const char *config_default_path(void);
const char *config_strerror(int);

/* partners.ini */
#define PARTNER_NAME_MAX	64
#define PARTNER_ROUTED_MAX	16
#define PARTNER_USERID_MAX	7	/* O0177000000000X0LU + 7 = X(25) */
#define PARTNER_VDSN_LEN	26	/* X(26) */
#define PARTNER_VSTATION	"O0177000000000X0LU"

enum partner_mode	{ PARTNER_AGENT, PARTNER_TRANSFER };
enum partner_bodypart	{ PARTNER_BP_VARIABLE, PARTNER_BP_ASCII,
			  PARTNER_BP_LATIN1, PARTNER_BP_BP14 };
enum partner_content	{ PARTNER_P22, PARTNER_P2, PARTNER_P35 };
enum partner_subject	{ PARTNER_SUBJ_MIME, PARTNER_SUBJ_SFIDDESC,
			  PARTNER_SUBJ_VDSN };
enum partner_mime	{ PARTNER_MIME_NONE, PARTNER_MIME_HEADER,
			  PARTNER_MIME_DESCRIPTION };
/* the subject of an IPM carrying an EDI interchange (P2 <-> PEDI) */
enum partner_edi_subject { PARTNER_EDISUBJ_ABSENT, PARTNER_EDISUBJ_BLANK,
			  PARTNER_EDISUBJ_FILE };

struct ox_partner {
	char	 name[PARTNER_NAME_MAX + 1];	/* the section, lower case */
	char	 odette[CONFIG_ID_LEN + 1];
	unsigned nrouted;
	char	 routed[PARTNER_ROUTED_MAX][CONFIG_ID_LEN + 1];
	char	 userid[PARTNER_USERID_MAX + 1]; /* "" = no virtual ID */
	struct orname x400;
	int	 has_local;			/* local given */
	struct orname local;			/* the station's O/R address */
	int	 mode;				/* PARTNER_AGENT ... */
	unsigned eerp;				/* 1, 2, 3 */
	int	 bodypart;			/* PARTNER_BP_* */
	int	 content;			/* PARTNER_P22 ... */
	int	 subject;			/* PARTNER_SUBJ_* */
	char	 vdsn[PARTNER_VDSN_LEN + 1];	/* "" = from the subject */
	int	 mime;				/* PARTNER_MIME_* */
	int	 edi_subject;			/* PARTNER_EDISUBJ_* */
	char	 format;			/* U T F V */
	uint32_t lrecl;
	unsigned oftp;				/* 14 or 20 */
	int	 sign, encrypt, compress, signed_eerp;
	unsigned cipher;			/* 1 .. 6 */
	char	 certificate[CONFIG_PATH_MAX];	/* of the odette station */
	char	 station_cert[CONFIG_PATH_MAX];	/* the virtual station's own */
	char	 station_key[CONFIG_PATH_MAX];	/* ... and its key; "" = */
						/* [security] ones */
	unsigned nrcert;			/* routed-certificate */
	struct partner_rcert {
		char	 id[CONFIG_ID_LEN + 1];	/* a routed station */
		char	 path[CONFIG_PATH_MAX];	/* its own certificate */
	}	 rcert[PARTNER_ROUTED_MAX];
	char	 status_vdsn[PARTNER_VDSN_LEN + 1]; /* "" = no status files */
	char	 status_format;			/* T or U */
	char	 demodette_in[CONFIG_PATH_MAX];	/* "" = no DEModette */
	char	 demodette_out[CONFIG_PATH_MAX];
	char	 adapter_dest[CONFIG_ID_LEN + 1]; /* "": virtual ID */
	char	 inbox[CONFIG_PATH_MAX];	/* "" = no inbox */
	unsigned timer[CONFIG_TIMER_N];		/* hours; 0: oxgate.ini's */
};

struct ox_partners {
	char	 path[CONFIG_PATH_MAX];
	size_t	 n;
	struct ox_partner *p;
};

void	 partner_init(struct ox_partner *);
int	 partners_load(const char *, struct ox_partners *, char *, size_t);
void	 partners_free(struct ox_partners *);
const struct ox_partner *partner_by_name(const struct ox_partners *,
	    const char *);
const struct ox_partner *partner_by_odette(const struct ox_partners *,
	    const char *);
int	 partners_default_local(struct ox_partners *, const struct orname *);
const struct ox_partner *partner_by_vstation(const struct ox_partners *,
	    const char *, const char *);
const struct ox_partner *partner_by_orname(const struct ox_partners *,
	    const struct orname *);
unsigned partner_timer(const struct ox_config *, const struct ox_partner *,
	    enum config_timer);
const char *partner_cert(const struct ox_partner *, const char *);
int	 partner_own_keys(const struct ox_partner *, const struct ox_config *,
	    const char *, const char **, const char **);
struct cms_keys;
int	 partner_keys_load(const struct ox_partner *, const struct ox_config *,
	    const char *, const char *, struct cms_keys **, char *, size_t);
int	 partners_keys_check(const struct ox_partners *,
	    const struct ox_config *, size_t *, char *, size_t);

#endif
