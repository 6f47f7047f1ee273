/*
 * NAME
 *	webauth - oxweb's users (roles, partner restriction, crypt(3)
 *	passwords), sessions and login throttle
 * SYNOPSIS
 *	#include "gw/webauth.h"
 *
 *	struct web_users us;
 *	if (webauth_load(path, &us, err, sizeof(err)) < 0) ...
 *	const struct web_user *u = webauth_check(&us, name, password);
 *	struct web_session *s = websess_new(&ss, u, now);
 *	s = websess_get(&ss, cookie, now);
 * DESCRIPTION
 *	The users file has one line per user, NAME:ROLE:PARTNERS:HASH,
 *	ROLE viewer (may look) or operator (may also act), PARTNERS empty
 *	(every partnership) or a comma-separated list of partners.ini
 *	sections the user alone sees (a customer's help desk), HASH a
 *	crypt(3) hash (yescrypt "$y$" as webauth_add() writes it, or
 *	SHA-512 "$6$"). Lines starting with '#' and empty lines are
 *	skipped. A user name is 1 to 32 of [A-Za-z0-9._@-]; a partner name
 *	is a section name of partners.ini (lower case, no ':' or ',').
 *	The file is read once at the start: it must not be writable by
 *	others (0640 or stricter is checked).
 *	webauth_check() compares a password with crypt_r() and a constant
 *	time comparison; an unknown user costs the same hashing (a dummy
 *	hash), so the answer time does not tell which users exist.
 *	webauth_add() adds or replaces a user in the file (made if
 *	missing, mode 0640, owner and group of the file it replaces, or
 *	the group of its directory), written atomically (temporary file,
 *	fsync, rename).
 *	webauth_sees() says whether a user may see a partner's
 *	transactions (an empty partner, a row of no partnership, only
 *	unrestricted users).
 *	Sessions: websess_new() makes a session with a random 256-bit
 *	identifier and CSRF token (getrandom(2), hex), valid for
 *	WEBSESS_IDLE seconds after its last use and WEBSESS_MAX after its
 *	start; the oldest session makes room when the table is full.
 *	websess_get() finds a live one by its identifier (constant time
 *	comparison), websess_end() ends it. websess_csrf_ok() compares a
 *	token with the session's.
 *	Throttle: webauth_throttled() says whether logins from a client
 *	address are refused for now: after WEBAUTH_FAILS failures within
 *	WEBAUTH_WINDOW seconds, until the window has passed since the last
 *	one; webauth_failed() counts one, webauth_ok() clears them.
 * DIAGNOSTICS
 *	webauth_load() and webauth_add() return -1 with the file, line and
 *	reason in err. websess_new() returns NULL when no random numbers
 *	could be had.
 */
#ifndef OX_WEBAUTH_H
#define OX_WEBAUTH_H

#include <stddef.h>
#include <time.h>

#define WEBAUTH_NAME_MAX	32
#define WEBAUTH_HASH_MAX	256
#define WEBAUTH_PARTNERS_MAX	32	/* partners of one restricted user */
#define WEBAUTH_USERS_MAX	1024
#define WEBAUTH_FAILS		5
#define WEBAUTH_WINDOW		900	/* seconds */
#define WEBSESS_MAX_N		512	/* live sessions */
#define WEBSESS_IDLE		1800	/* seconds */
#define WEBSESS_MAX		43200
#define WEBSESS_ID_LEN		64	/* hex of 32 random octets */

enum web_role { WEB_VIEWER = 0, WEB_OPERATOR = 1 };

struct web_user {
	char		 name[WEBAUTH_NAME_MAX + 1];
	enum web_role	 role;
	size_t		 npartners;	/* 0: every partnership */
	char		*partners[WEBAUTH_PARTNERS_MAX];
	char		 hash[WEBAUTH_HASH_MAX];
};

struct web_users {
	struct web_user	*u;
	size_t		 n;
};

struct web_session {
	char		 id[WEBSESS_ID_LEN + 1];	/* "": free */
	char		 csrf[WEBSESS_ID_LEN + 1];
	const struct web_user *user;
	time_t		 start, last;
};

struct web_sessions {
	struct web_session s[WEBSESS_MAX_N];
};

struct web_throttle {
	struct {
		char	 addr[64];
		unsigned fails;
		time_t	 last;
	} e[256];
};

int	 webauth_load(const char *, struct web_users *, char *, size_t);
void	 webauth_free(struct web_users *);
const struct web_user *webauth_check(const struct web_users *, const char *,
	    const char *);
int	 webauth_add(const char *, const char *, enum web_role, const char *,
	    const char *, char *, size_t);
int	 webauth_sees(const struct web_user *, const char *);
const char *webauth_role_name(enum web_role);
int	 webauth_role_parse(const char *, enum web_role *);

struct web_session *websess_new(struct web_sessions *,
	    const struct web_user *, time_t);
struct web_session *websess_get(struct web_sessions *, const char *, time_t);
void	 websess_end(struct web_session *);
int	 websess_csrf_ok(const struct web_session *, const char *);

int	 webauth_throttled(struct web_throttle *, const char *, time_t);
void	 webauth_failed(struct web_throttle *, const char *, time_t);
void	 webauth_ok(struct web_throttle *, const char *);

#endif
