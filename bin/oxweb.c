/*
 * NAME
 *	oxweb - the operator console on the web: trace, overflow, partners
 * SYNOPSIS
 *	oxweb [-v] [-c FILE]
 *	oxweb [-c FILE] --add-user NAME --role viewer|operator
 *	    [--partners A,B]
 * DESCRIPTION
 *	An HTTP server (GNU libmicrohttpd; HTTPS when [web] certificate
 *	and key are set) on [web] listen and port of oxgate.ini (default
 *	127.0.0.1:8480). Pages, server-rendered HTML without JavaScript:
 *	overview, transactions (search, pages, order), one transaction
 *	(history, recipients, files to download), overflow (reactivate,
 *	delete, export), partners (hold, release, divert, undivert with a
 *	note), the status CSV of a partner and period; the same data as
 *	JSON under /api/v1/. Every action calls gw/ops, as oxtrace does,
 *	with the web user's name for the trace history. Users, roles and
 *	sessions: gw/webauth. Every value from the trace reaches a page
 *	through html_esc() (util/html) or jansson. The listening socket is
 *	made, the TLS key read, then the sandbox of the converters entered
 *	(gw_sandbox()) before the server's threads start: a pool of
 *	WEB_THREADS, each with a trace handle of its own (opened on its
 *	first request, closed when it ends; trace.h: one handle, one
 *	thread); the sessions and the login throttle are shared under a
 *	lock, a request works on a copy of its session. See oxweb(8).
 * EXIT STATUS
 *	0 stopped by SIGTERM or SIGINT, or the user added; 64 usage; 69
 *	the server did not start; 75 the trace cannot be opened; 78
 *	configuration (oxgate.ini, the users file, the certificate).
 */
#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <termios.h>
#include <unistd.h>

#include "gw/config.h"
#include "gw/gw.h"
#include "gw/ops.h"
#include "gw/trace.h"
#include "gw/webauth.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/html.h"
#include "util/log.h"
#include "util/opt.h"

#define PAGE_ROWS	50
#define FIELD_MAX	1024
#define FIELDS_MAX	8
#define COOKIE		"oxsid"
#define WEB_THREADS	4u	/* the server's threads (libmicrohttpd pool) */

static struct gw		 g;
static struct web_users		 users;
static struct web_sessions	 sessions;
static struct web_throttle	 throttle;
static int			 tls;
/* sessions and throttle are shared by the pool's threads */
static pthread_mutex_t		 auth_lock = PTHREAD_MUTEX_INITIALIZER;
/* each thread of the pool has its trace handle (trace.h: one thread) */
static pthread_key_t		 trace_key;

/* The state of one request (MHD's con_cls): the form fields of a POST. */
struct req {
	struct MHD_PostProcessor *pp;
	struct {
		char	 k[16];
		char	 v[FIELD_MAX];
		size_t	 n;
	} f[FIELDS_MAX];
	size_t	 nf;
	int	 bad;		/* a field too long, too many fields */
};

/* One request being answered. */
struct ctx {
	struct MHD_Connection	*c;
	const char		*url;
	int			 post;
	struct req		*rq;
	struct trace		*db;	/* this thread's handle */
	struct web_session	 sess;	/* a copy, taken under the lock */
	struct web_session	*s;	/* &sess once logged in */
	const struct web_user	*u;
	time_t			 now;
	int			 api;	/* under /api/v1/ */
	struct buf		 b;	/* the body */
	struct ops		 o;
};

static void
usage(int code)
{
	fprintf(code ? stderr : stdout,
	    "usage: oxweb [-v] [-c FILE]\n"
	    "       oxweb [-c FILE] --add-user NAME --role viewer|operator "
	    "[--partners A,B]\n"
	    "             (the password: one line on standard input)\n");
	exit(code);
}

/* --- responses ------------------------------------------------------- */

static enum MHD_Result
send_resp(struct ctx *x, unsigned status, struct MHD_Response *r,
    const char *ctype)
{
	enum MHD_Result rc;

	if (r == NULL)
		return MHD_NO;
	if (ctype != NULL)
		MHD_add_response_header(r, "Content-Type", ctype);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	MHD_add_response_header(r, "Content-Security-Policy",
	    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; "
	    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
	if (tls)
		MHD_add_response_header(r, "Strict-Transport-Security",
		    "max-age=31536000");
	rc = MHD_queue_response(x->c, status, r);
	MHD_destroy_response(r);
	return rc;
}

static enum MHD_Result
send_body(struct ctx *x, unsigned status, const char *ctype)
{
	if (buf_error(&x->b))
		return MHD_NO;
	return send_resp(x, status, MHD_create_response_from_buffer(x->b.len,
	    x->b.p, MHD_RESPMEM_MUST_COPY), ctype);
}

static enum MHD_Result
send_json(struct ctx *x, unsigned status, json_t *j)
{
	char	*s = j != NULL ? json_dumps(j, JSON_COMPACT) : NULL;
	enum MHD_Result rc;

	json_decref(j);
	if (s == NULL)
		return MHD_NO;
	rc = send_resp(x, status, MHD_create_response_from_buffer(strlen(s), s,
	    MHD_RESPMEM_MUST_FREE), "application/json");
	return rc;
}

static enum MHD_Result
redirect(struct ctx *x, const char *to, const char *cookie)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(0, "",
	    MHD_RESPMEM_PERSISTENT);

	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, "Location", to);
	if (cookie != NULL)
		MHD_add_response_header(r, "Set-Cookie", cookie);
	return send_resp(x, MHD_HTTP_SEE_OTHER, r, NULL);
}

/* A refusal: JSON under /api/, a short page otherwise. */
static enum MHD_Result
refuse(struct ctx *x, unsigned status, const char *why)
{
	buf_reset(&x->b);
	if (x->api)
		return send_json(x, status, json_pack("{s:s}", "error", why));
	buf_add_str(&x->b, "<!DOCTYPE html><meta charset=utf-8><title>oxweb"
	    "</title><p>");
	html_esc(&x->b, why);
	buf_add_str(&x->b, "</p><p><a href=\"/\">overview</a></p>\n");
	return send_body(x, status, "text/html; charset=utf-8");
}

/* --- request values -------------------------------------------------- */

static const char *
arg(struct ctx *x, const char *k)
{
	const char *v = MHD_lookup_connection_value(x->c,
	    MHD_GET_ARGUMENT_KIND, k);

	return v != NULL && *v != '\0' ? v : NULL;
}

static const char *
field(struct ctx *x, const char *k)
{
	size_t	 i;

	for (i = 0; x->rq != NULL && i < x->rq->nf; i++)
		if (strcmp(x->rq->f[i].k, k) == 0)
			return x->rq->f[i].v[0] != '\0' ? x->rq->f[i].v : NULL;
	return NULL;
}

static enum MHD_Result
post_field(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *filename, const char *ctype, const char *enc,
    const char *data, uint64_t off, size_t size)
{
	struct req *rq = cls;
	size_t	 i;

	(void)kind, (void)filename, (void)ctype, (void)enc, (void)off;
	for (i = 0; i < rq->nf; i++)
		if (strcmp(rq->f[i].k, key) == 0)
			break;
	if (i == rq->nf) {
		if (rq->nf == FIELDS_MAX || strlen(key) >= sizeof(rq->f[0].k)) {
			rq->bad = 1;
			return MHD_YES;
		}
		snprintf(rq->f[i].k, sizeof(rq->f[i].k), "%s", key);
		rq->nf++;
	}
	if (rq->f[i].n + size >= FIELD_MAX || memchr(data, '\0', size)) {
		rq->bad = 1;
		return MHD_YES;
	}
	memcpy(rq->f[i].v + rq->f[i].n, data, size);
	rq->f[i].n += size;
	rq->f[i].v[rq->f[i].n] = '\0';
	return MHD_YES;
}

static void
req_done(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct req *rq = *con_cls;

	(void)cls, (void)c, (void)toe;
	if (rq == NULL)
		return;
	if (rq->pp != NULL)
		MHD_destroy_post_processor(rq->pp);
	explicit_bzero(rq, sizeof(*rq));
	free(rq);
	*con_cls = NULL;
}

static void
client_addr(struct ctx *x, char *s, size_t n)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(x->c,
	    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci != NULL ? ci->client_addr : NULL;

	snprintf(s, n, "?");
	if (sa != NULL && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
		    s, (socklen_t)n);
	else if (sa != NULL && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)
		    sa)->sin6_addr, s, (socklen_t)n);
}

/* The value of a form or query time: clock_parse(), or 0 if none. */
static int
when(struct ctx *x, const char *s, time_t *t)
{
	*t = 0;
	return s == NULL ? 0 : clock_parse(s, x->now, t, NULL);
}

/* --- pages: frame and pieces ---------------------------------------- */

static void
head(struct ctx *x, const char *title)
{
	struct buf *b = &x->b;

	buf_add_str(b, "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
	    "<meta name=viewport content=\"width=device-width, "
	    "initial-scale=1\"><title>");
	html_esc(b, title);
	buf_add_str(b, " - oxweb</title><style>"
	    "body{font-family:sans-serif;margin:0 auto;max-width:72em;"
	    "padding:0 .5em}table{border-collapse:collapse;width:100%}"
	    "td,th{border-bottom:1px solid #ccc;padding:.2em .4em;"
	    "text-align:left;vertical-align:top;overflow-wrap:anywhere}"
	    "nav a{margin-right:1em}form.i{display:inline}"
	    ".w{overflow-x:auto}input,select,button{font-size:1em;"
	    "margin:.1em}.warn{color:#a00}</style></head><body><nav>");
	if (x->u != NULL) {
		buf_add_str(b, "<a href=\"/\">overview</a><a href=\"/tx\">"
		    "transactions</a><a href=\"/overflow\">overflow</a>"
		    "<a href=\"/partners\">partners</a><a href=\"/status\">"
		    "status CSV</a><form class=i method=post action=\"/logout\">"
		    "<input type=hidden name=csrf value=\"");
		html_esc(b, x->s->csrf);
		buf_add_str(b, "\"><button>log out ");
		html_esc(b, x->u->name);
		buf_add_str(b, "</button></form>");
	}
	buf_add_str(b, "</nav><h1>");
	html_esc(b, title);
	buf_add_str(b, "</h1>\n");
}

static enum MHD_Result
page_end(struct ctx *x)
{
	buf_add_str(&x->b, "</body></html>\n");
	return send_body(x, MHD_HTTP_OK, "text/html; charset=utf-8");
}

static void
csrf_input(struct ctx *x)
{
	buf_add_str(&x->b, "<input type=hidden name=csrf value=\"");
	html_esc(&x->b, x->s->csrf);
	buf_add_str(&x->b, "\">");
}

static void
td(struct buf *b, const char *s)
{
	buf_add_str(b, "<td>");
	html_esc(b, s[0] != '\0' ? s : "-");
	buf_add_str(b, "</td>");
}

static void
td_time(struct buf *b, time_t t)
{
	char	 s[32];

	clock_iso(t, s, sizeof(s));
	td(b, s);
}

static void
tx_link(struct buf *b, int64_t id)
{
	buf_addf(b, "<td><a href=\"/tx/%" PRId64 "\">%" PRId64 "</a></td>",
	    id, id);
}

/* The partners a user may see, as trace_query.only wants them. */
static void
restrict_to(const struct web_user *u, const char *const **only, size_t *n)
{
	*only = u->npartners > 0 ? (const char *const *)u->partners : NULL;
	*n = u->npartners;
}

/* --- JSON ------------------------------------------------------------ */

/* A string for jansson: text that is not UTF-8 is given as null. */
static json_t *
jstr(const char *s)
{
	json_t	*j = json_string(s);

	return j != NULL ? j : json_null();
}

static json_t *
jtime(time_t t)
{
	char	 s[32];

	if (t == 0)
		return json_null();
	clock_iso(t, s, sizeof(s));
	return json_string(s);
}

static json_t *
row_json(const struct trace_row *r)
{
	return json_pack("{s:I,s:s,s:o,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,"
	    "s:o,s:o,s:o,s:o,s:o,s:i}",
	    "id", (json_int_t)r->id, "direction", trace_dir_name(r->dir),
	    "partner", jstr(r->partner), "state", trace_state_name(r->state),
	    "created", jtime(r->created), "updated", jtime(r->updated),
	    "deadline", jtime(r->deadline), "dsn", jstr(r->oftp.dsn),
	    "orig", jstr(r->oftp.orig), "dest", jstr(r->oftp.dest),
	    "mts_id", jstr(r->mts_id), "ipm_id", jstr(r->ipm_id),
	    "edim_id", jstr(r->edim_id), "in_file", jstr(r->in_file),
	    "out_file", jstr(r->out_file), "ack_file", jstr(r->ack_file),
	    "note", jstr(r->note), "recipients", r->nrcpt);
}

/* --- overview -------------------------------------------------------- */

struct counts {
	json_t		*j;
	struct buf	*b;
	char		 last[TRACE_PARTNER_SZ];
	int		 open;
};

static int
count_row(const char *partner, enum trace_state s, uint64_t n, void *arg)
{
	struct counts *c = arg;

	if (c->j != NULL)
		return json_array_append_new(c->j, json_pack("{s:o,s:s,s:I}",
		    "partner", jstr(partner), "state", trace_state_name(s),
		    "n", (json_int_t)n));
	if (!c->open || strcmp(c->last, partner) != 0) {
		buf_add_str(c->b, c->open ? "</td></tr>\n<tr>" : "<tr>");
		buf_add_str(c->b, "<td><a href=\"/tx?partner=");
		url_esc(c->b, partner);
		buf_add_str(c->b, "\">");
		html_esc(c->b, partner[0] ? partner : "-");
		buf_add_str(c->b, "</a></td><td>");
		snprintf(c->last, sizeof(c->last), "%s", partner);
		c->open = 1;
	}
	buf_add_str(c->b, "<a href=\"/tx?partner=");
	url_esc(c->b, partner);
	buf_addf(c->b, "&amp;state=%s&amp;since=-24h\">%s %" PRIu64 "</a> ",
	    trace_state_name(s), trace_state_name(s), n);
	return 0;
}

static int
count_deferral(const struct trace_deferral *d, void *arg)
{
	(void)d;
	(*(uint64_t *)arg)++;
	return 0;
}

/* failed, overflow (diverted included) and deferred inputs. */
static int
totals(struct ctx *x, uint64_t v[3])
{
	static const enum trace_state st[] = { TRACE_S_FAILED,
		TRACE_S_OVERFLOW, TRACE_S_DIVERTED };
	const char *const *only;
	uint64_t k;
	size_t	 i, n;

	restrict_to(x->u, &only, &n);
	v[0] = v[1] = v[2] = 0;
	for (i = 0; i < 3; i++) {
		if (trace_count_state(x->db, st[i], only, n, &k) < 0)
			return -1;
		v[i ? 1 : 0] += k;
	}
	if (x->u->npartners == 0 && trace_deferrals(x->db, count_deferral,
	    &v[2]) < 0)
		return -1;
	return 0;
}

static enum MHD_Result
pg_overview(struct ctx *x)
{
	struct counts c;
	const char *const *only;
	uint64_t v[3];
	size_t	 n;

	memset(&c, 0, sizeof(c));
	restrict_to(x->u, &only, &n);
	if (x->api)
		c.j = json_array();
	else {
		c.b = &x->b;
		head(x, "Overview");
		buf_add_str(&x->b, "<h2>Last 24 hours by partner and state"
		    "</h2><div class=w><table><tr><th>partner</th><th>"
		    "transactions</th></tr>\n");
	}
	/* until a day ahead: rows of a clock set late count too */
	if (trace_counts(x->db, x->now - 86400, x->now + 86400, only, n,
	    count_row, &c) < 0 ||
	    totals(x, v) < 0) {
		json_decref(c.j);
		return refuse(x, MHD_HTTP_SERVICE_UNAVAILABLE,
		    trace_error(x->db));
	}
	if (x->api)
		return send_json(x, MHD_HTTP_OK, json_pack("{s:o,s:o,s:I,s:I,"
		    "s:I}", "since", jtime(x->now - 86400), "counts", c.j,
		    "failed", (json_int_t)v[0], "overflow", (json_int_t)v[1],
		    "deferred", (json_int_t)v[2]));
	buf_addf(&x->b, "%s</table></div><h2>Now</h2><ul><li><a href=\"/tx?"
	    "state=failed\">failed: %" PRIu64 "</a><li><a href=\"/overflow\">"
	    "overflow: %" PRIu64 "</a><li>deferred inputs: %" PRIu64
	    "</ul>\n", c.open ? "</td></tr>" : "", v[0], v[1], v[2]);
	return page_end(x);
}

/* --- transactions ---------------------------------------------------- */

/* The orders of a search, by enum trace_sort. */
static const char *const sorts[] = { "created", "updated", "partner",
	"state", "dsn", NULL };

struct listing {
	struct ctx	*x;
	json_t		*j;
	size_t		 n;
};

static int
list_row(const struct trace_row *r, void *arg)
{
	struct listing *l = arg;
	struct buf *b = &l->x->b;

	if (++l->n > PAGE_ROWS)		/* the one row that says "more" */
		return 0;
	if (l->j != NULL)
		return json_array_append_new(l->j, row_json(r));
	buf_add_str(b, "<tr>");
	tx_link(b, r->id);
	td(b, trace_dir_name(r->dir));
	td(b, trace_state_name(r->state));
	td_time(b, r->created);
	td(b, r->partner);
	td(b, r->oftp.dsn);
	td(b, r->mts_id);
	buf_add_str(b, "</tr>\n");
	return 0;
}

/* The query of the search form; -1 (and a refusal sent) if bad. */
static int
tx_query(struct ctx *x, struct trace_query *q, size_t *page)
{
	const char *s;
	size_t	 i;

	memset(q, 0, sizeof(*q));
	restrict_to(x->u, &q->only, &q->nonly);
	q->f.partner = arg(x, "partner");
	q->text = arg(x, "q");
	if ((s = arg(x, "state")) != NULL &&
	    trace_state_parse(s, &q->f.state) < 0)
		return -1;
	if (when(x, arg(x, "since"), &q->f.since) < 0 ||
	    when(x, arg(x, "until"), &q->f.until) < 0)
		return -1;
	q->desc = arg(x, "asc") == NULL;
	if ((s = arg(x, "sort")) != NULL) {
		for (i = 0; sorts[i] != NULL && strcmp(s, sorts[i]) != 0; i++)
			;
		if (sorts[i] == NULL)
			return -1;
		q->sort = (enum trace_sort)i;
	}
	*page = (s = arg(x, "page")) != NULL ? strtoul(s, NULL, 10) : 0;
	if (*page > 100000)
		return -1;
	q->limit = PAGE_ROWS + 1;
	q->offset = *page * PAGE_ROWS;
	return 0;
}

static void
search_form(struct ctx *x)
{
	static const char *const keys[] = { "q", "partner", "since", "until" };
	static const char *const labels[] = { "DSN, MTS, IPM or EDIM id",
		"partner", "since (2026-12-01, -24h)", "until" };
	struct buf *b = &x->b;
	const char *v;
	int	 i;

	buf_add_str(b, "<form method=get action=\"/tx\">");
	for (i = 0; i < 4; i++) {
		buf_addf(b, "<label>%s <input name=%s value=\"", labels[i],
		    keys[i]);
		html_esc(b, (v = arg(x, keys[i])) != NULL ? v : "");
		buf_add_str(b, "\"></label> ");
	}
	buf_add_str(b, "<label>state <select name=state><option value=\"\">"
	    "any</option>");
	for (i = TRACE_S_RECEIVED; i < TRACE_S_COUNT; i++)
		buf_addf(b, "<option%s>%s</option>", (v = arg(x, "state")) !=
		    NULL && strcmp(v, trace_state_name(i)) == 0 ?
		    " selected" : "", trace_state_name(i));
	buf_add_str(b, "</select></label> <label>order <select name=sort>");
	for (i = 0; sorts[i] != NULL; i++)
		buf_addf(b, "<option%s>%s</option>", (v = arg(x, "sort")) !=
		    NULL && strcmp(v, sorts[i]) == 0 ? " selected" : "",
		    sorts[i]);
	buf_addf(b, "</select></label> <label><input type=checkbox name=asc "
	    "value=1%s>oldest first</label> <button>search</button></form>\n",
	    arg(x, "asc") != NULL ? " checked" : "");
}

/* The link to another page of the same search. */
static void
page_link(struct ctx *x, size_t page, const char *text)
{
	static const char *const keys[] = { "q", "partner", "state", "since",
		"until", "sort", "asc" };
	const char *v;
	size_t	 i;

	buf_addf(&x->b, "<a href=\"/tx?page=%zu", page);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if ((v = arg(x, keys[i])) != NULL) {
			buf_addf(&x->b, "&amp;%s=", keys[i]);
			url_esc(&x->b, v);
		}
	buf_addf(&x->b, "\">%s</a> ", text);
}

static enum MHD_Result
pg_transactions(struct ctx *x, int overflow)
{
	struct trace_query q;
	struct listing l = { x, NULL, 0 };
	size_t	 page;

	if (tx_query(x, &q, &page) < 0)
		return refuse(x, MHD_HTTP_BAD_REQUEST, "bad search value");
	if (overflow)
		q.f.state = TRACE_S_OVERFLOW;
	if (x->api)
		l.j = json_array();
	else {
		head(x, overflow ? "Overflow" : "Transactions");
		if (!overflow)
			search_form(x);
		buf_add_str(&x->b, "<div class=w><table><tr><th>id</th><th>"
		    "direction</th><th>state</th><th>created</th><th>partner"
		    "</th><th>DSN</th><th>MTS id</th></tr>\n");
	}
	if (trace_search(x->db, &q, list_row, &l) < 0 || (overflow &&
	    (q.f.state = TRACE_S_DIVERTED, trace_search(x->db, &q, list_row,
	    &l)) < 0)) {
		json_decref(l.j);
		return refuse(x, MHD_HTTP_SERVICE_UNAVAILABLE,
		    trace_error(x->db));
	}
	if (x->api)
		return send_json(x, MHD_HTTP_OK, json_pack("{s:o,s:b}",
		    "transactions", l.j, "more", l.n > PAGE_ROWS));
	buf_add_str(&x->b, "</table></div><p>");
	if (page > 0)
		page_link(x, page - 1, "previous");
	if (l.n > PAGE_ROWS)
		page_link(x, page + 1, "next");
	buf_add_str(&x->b, "</p>\n");
	if (overflow)
		buf_add_str(&x->b, "<p>Open a transaction to reactivate, delete "
		    "or export (download) it.</p>\n");
	return page_end(x);
}

/* --- one transaction ------------------------------------------------- */

/* The row of /tx/ID/... that the user may see; 0 refused (sent). */
static int
visible_row(struct ctx *x, const char *id, struct trace_row *r)
{
	char	*end;
	long long n = strtoll(id, &end, 10);
	int	 rc;

	if (end == id || *end != '\0' || n <= 0)
		return 0;
	if ((rc = trace_get(x->db, n, r)) < 0)
		return -1;
	/* another partner's row is as absent as a row that is not there */
	return rc == 1 && webauth_sees(x->u, r->partner);
}

static int
ev_html(const struct trace_event *e, void *arg)
{
	struct ctx *x = arg;

	buf_add_str(&x->b, "<tr>");
	td_time(&x->b, e->time);
	td(&x->b, trace_state_name(e->state));
	td(&x->b, e->note);
	buf_add_str(&x->b, "</tr>\n");
	return 0;
}

static int
ev_json(const struct trace_event *e, void *arg)
{
	return json_array_append_new(arg, json_pack("{s:o,s:s,s:o}", "time",
	    jtime(e->time), "state", trace_state_name(e->state), "note",
	    jstr(e->note)));
}

static int
rc_html(const struct trace_rcpt *r, void *arg)
{
	struct ctx *x = arg;

	buf_add_str(&x->b, "<tr>");
	td(&x->b, r->address);
	td(&x->b, trace_outcome_name(r->outcome));
	td_time(&x->b, r->time);
	td(&x->b, r->diag);
	buf_add_str(&x->b, "</tr>\n");
	return 0;
}

static int
rc_json(const struct trace_rcpt *r, void *arg)
{
	return json_array_append_new(arg, json_pack("{s:o,s:s,s:o,s:o}",
	    "address", jstr(r->address), "outcome",
	    trace_outcome_name(r->outcome), "time", jtime(r->time), "diag",
	    jstr(r->diag)));
}

static void
field_rows(struct ctx *x, const struct trace_row *r)
{
	const char *const k[] = { "direction", "partner", "state", "DSN",
		"date", "time", "originator", "destination", "MTS id",
		"IPM id", "EDIM id", "X.400 originator", "note" };
	const char *const v[] = { trace_dir_name(r->dir), r->partner,
		trace_state_name(r->state), r->oftp.dsn, r->oftp.date,
		r->oftp.time, r->oftp.orig, r->oftp.dest, r->mts_id, r->ipm_id,
		r->edim_id, r->x400_orig, r->note };
	size_t	 i;

	buf_add_str(&x->b, "<div class=w><table>");
	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		buf_addf(&x->b, "<tr><th>%s</th>", k[i]);
		td(&x->b, v[i]);
		buf_add_str(&x->b, "</tr>\n");
	}
	buf_add_str(&x->b, "<tr><th>created</th>");
	td_time(&x->b, r->created);
	buf_add_str(&x->b, "</tr><tr><th>updated</th>");
	td_time(&x->b, r->updated);
	buf_add_str(&x->b, "</tr><tr><th>deadline</th>");
	td_time(&x->b, r->deadline);
	buf_add_str(&x->b, "</tr></table></div>\n");
}

static void
file_links(struct ctx *x, const struct trace_row *r)
{
	const char *const k[] = { "in", "out", "ack" };
	const char *const v[] = { r->in_file, r->out_file, r->ack_file };
	size_t	 i;

	buf_add_str(&x->b, "<h2>Files</h2><ul>");
	for (i = 0; i < 3; i++) {
		if (v[i][0] == '\0')
			continue;
		buf_addf(&x->b, "<li>%s: <a href=\"/tx/%" PRId64 "/file/%s\">",
		    k[i], r->id, k[i]);
		html_esc(&x->b, v[i]);
		buf_add_str(&x->b, "</a>");
	}
	buf_addf(&x->b, "<li><a href=\"/tx/%" PRId64 "/csv\">this "
	    "transaction as CSV</a></ul>\n", r->id);
}

static void
tx_actions(struct ctx *x, const struct trace_row *r)
{
	static const char *const acts[] = { "reactivate", "delete" };
	size_t	 i;

	if (x->u->role != WEB_OPERATOR || (r->state != TRACE_S_OVERFLOW &&
	    r->state != TRACE_S_DIVERTED))
		return;
	buf_add_str(&x->b, "<h2>Overflow</h2>");
	for (i = 0; i < 2; i++) {
		buf_addf(&x->b, "<form class=i method=post action=\"/tx/%"
		    PRId64 "/%s\">", r->id, acts[i]);
		csrf_input(x);
		buf_addf(&x->b, "<button>%s</button></form> ", acts[i]);
	}
	buf_addf(&x->b, "<a href=\"/tx/%" PRId64 "/file/out\">export "
	    "(download the file)</a>\n", r->id);
}

static enum MHD_Result
pg_tx(struct ctx *x, const char *id)
{
	struct trace_row r;
	json_t	*j, *h, *rc;
	char	 title[48];
	int	 ok;

	if ((ok = visible_row(x, id, &r)) <= 0)
		return ok < 0 ? refuse(x, MHD_HTTP_SERVICE_UNAVAILABLE,
		    trace_error(x->db)) : refuse(x, MHD_HTTP_NOT_FOUND,
		    "no such transaction");
	if (x->api) {
		j = row_json(&r);
		json_object_set_new(j, "history", h = json_array());
		json_object_set_new(j, "recipients", rc = json_array());
		if (trace_history(x->db, r.id, ev_json, h) < 0 ||
		    trace_recipients(x->db, r.id, rc_json, rc) < 0) {
			json_decref(j);
			return refuse(x, MHD_HTTP_SERVICE_UNAVAILABLE,
			    trace_error(x->db));
		}
		return send_json(x, MHD_HTTP_OK, j);
	}
	snprintf(title, sizeof(title), "Transaction %" PRId64, r.id);
	head(x, title);
	field_rows(x, &r);
	tx_actions(x, &r);
	file_links(x, &r);
	buf_add_str(&x->b, "<h2>History</h2><div class=w><table>\n");
	if (trace_history(x->db, r.id, ev_html, x) < 0)
		return refuse(x, MHD_HTTP_SERVICE_UNAVAILABLE,
		    trace_error(x->db));
	buf_add_str(&x->b, "</table></div><h2>Recipients and reports</h2>"
	    "<div class=w><table>\n");
	if (trace_recipients(x->db, r.id, rc_html, x) < 0)
		return refuse(x, MHD_HTTP_SERVICE_UNAVAILABLE,
		    trace_error(x->db));
	buf_add_str(&x->b, "</table></div>\n");
	return page_end(x);
}

/* A name for Content-Disposition: what is not [A-Za-z0-9._-] is '_'. */
static void
safe_name(const char *in, char *out, size_t n)
{
	size_t	 i;

	for (i = 0; in[i] != '\0' && i + 1 < n; i++)
		out[i] = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS"
		    "TUVWXYZ0123456789._-", in[i]) != NULL && in[i] != '\0' &&
		    !(i == 0 && in[i] == '.') ? in[i] : '_';
	out[i] = '\0';
	if (i == 0)
		snprintf(out, n, "file");
}

static enum MHD_Result
send_download(struct ctx *x, struct MHD_Response *r, const char *name)
{
	char	 safe[TRACE_FILE_SZ], cd[TRACE_FILE_SZ + 40];

	if (r == NULL)
		return MHD_NO;
	safe_name(name, safe, sizeof(safe));
	snprintf(cd, sizeof(cd), "attachment; filename=\"%s\"", safe);
	MHD_add_response_header(r, "Content-Disposition", cd);
	return send_resp(x, MHD_HTTP_OK, r, "application/octet-stream");
}

/* /tx/ID/file/in|out|ack: only the names the trace recorded (gw/ops). */
static enum MHD_Result
pg_file(struct ctx *x, const char *id, const char *which)
{
	static const char *const k[] = { "in", "out", "ack" };
	struct trace_row r;
	const char *name;
	struct stat st;
	int	 i, fd, ok;

	for (i = 0; i < 3 && strcmp(which, k[i]) != 0; i++)
		;
	if (i == 3 || (ok = visible_row(x, id, &r)) == 0)
		return refuse(x, MHD_HTTP_NOT_FOUND, "no such file");
	if (ok < 0)
		return refuse(x, MHD_HTTP_SERVICE_UNAVAILABLE,
		    trace_error(x->db));
	if ((fd = ops_file_open(&x->o, &r, (enum ops_file)i, &name)) < 0)
		return refuse(x, MHD_HTTP_NOT_FOUND, x->o.err);
	if (fstat(fd, &st) < 0) {
		close(fd);
		return refuse(x, MHD_HTTP_INTERNAL_SERVER_ERROR, "fstat");
	}
	return send_download(x, MHD_create_response_from_fd((uint64_t)
	    st.st_size, fd), name);
}

static int
csv_row(const struct trace_row *r, void *arg)
{
	return trace_csv_row(arg, r);
}

/* /tx/ID/csv and /status.csv?partner=P&since=&until= */
static enum MHD_Result
pg_csv(struct ctx *x, const char *id)
{
	struct trace_query q;
	struct trace_row r;
	char	 name[TRACE_PARTNER_SZ + 32];
	int	 ok;

	memset(&q, 0, sizeof(q));
	restrict_to(x->u, &q.only, &q.nonly);
	buf_reset(&x->b);
	if (trace_csv_header(&x->b) < 0)
		return MHD_NO;
	if (id != NULL) {
		if ((ok = visible_row(x, id, &r)) <= 0)
			return refuse(x, ok < 0 ? MHD_HTTP_SERVICE_UNAVAILABLE :
			    MHD_HTTP_NOT_FOUND, "no such transaction");
		ok = trace_csv_row(&x->b, &r);
		snprintf(name, sizeof(name), "transaction-%s.csv", id);
	} else {
		q.f.partner = arg(x, "partner");
		if (when(x, arg(x, "since"), &q.f.since) < 0 ||
		    when(x, arg(x, "until"), &q.f.until) < 0)
			return refuse(x, MHD_HTTP_BAD_REQUEST, "bad time");
		ok = trace_search(x->db, &q, csv_row, &x->b);
		snprintf(name, sizeof(name), "status-%s.csv", q.f.partner !=
		    NULL ? q.f.partner : "all");
	}
	if (ok < 0)
		return refuse(x, MHD_HTTP_SERVICE_UNAVAILABLE,
		    trace_error(x->db));
	return send_download(x, MHD_create_response_from_buffer(x->b.len,
	    x->b.p, MHD_RESPMEM_MUST_COPY), name);
}

static enum MHD_Result
pg_status_form(struct ctx *x)
{
	size_t	 i;

	head(x, "Status CSV");
	buf_add_str(&x->b, "<form method=get action=\"/status.csv\"><label>"
	    "partner <select name=partner><option value=\"\">every one"
	    "</option>");
	for (i = 0; i < g.partners.n; i++) {
		if (!webauth_sees(x->u, g.partners.p[i].name))
			continue;
		buf_add_str(&x->b, "<option>");
		html_esc(&x->b, g.partners.p[i].name);
		buf_add_str(&x->b, "</option>");
	}
	buf_add_str(&x->b, "</select></label> <label>since <input name=since "
	    "value=\"-24h\"></label> <label>until <input name=until></label> "
	    "<button>download</button></form>\n");
	return page_end(x);
}

/* --- partners -------------------------------------------------------- */

static void
partner_forms(struct ctx *x, const char *name)
{
	static const char *const acts[] = { "hold", "release", "divert",
		"undivert" };
	size_t	 i;

	if (x->u->role != WEB_OPERATOR)
		return;
	buf_add_str(&x->b, "<td><form method=post action=\"/partners/");
	url_esc(&x->b, name);
	buf_add_str(&x->b, "\">");
	csrf_input(x);
	buf_add_str(&x->b, "<input name=note placeholder=note maxlength=200> "
	    "<input name=until placeholder=\"hold until (+4h, 2026-12-08T10:00)"
	    "\"> ");
	for (i = 0; i < 4; i++)
		buf_addf(&x->b, "<button name=action value=%s>%s</button>",
		    acts[i], acts[i]);
	buf_add_str(&x->b, "</form></td>");
}

static enum MHD_Result
pg_partners(struct ctx *x)
{
	struct trace_partner ps;
	json_t	*j = x->api ? json_array() : NULL;
	size_t	 i, held;

	if (!x->api) {
		head(x, "Partners");
		buf_add_str(&x->b, "<div class=w><table><tr><th>partner</th><th>"
		    "ODETTE ID</th><th>state</th><th>since</th><th>held</th>"
		    "<th></th></tr>\n");
	}
	for (i = 0; i < g.partners.n; i++) {
		const struct ox_partner *p = &g.partners.p[i];

		if (!webauth_sees(x->u, p->name))
			continue;
		if (trace_partner_get(x->db, p->name, &ps) < 0 ||
		    ops_held(&x->o, p->name, &held) < 0) {
			json_decref(j);
			return refuse(x, MHD_HTTP_SERVICE_UNAVAILABLE,
			    "trace or spool");
		}
		if (j != NULL) {
			json_array_append_new(j, json_pack("{s:o,s:o,s:s,s:o,"
			    "s:I}", "name", jstr(p->name), "odette",
			    jstr(p->odette), "state",
			    trace_pstate_name(ps.state), "since",
			    jtime(ps.changed), "held", (json_int_t)held));
			continue;
		}
		buf_add_str(&x->b, "<tr><td><a href=\"/tx?partner=");
		url_esc(&x->b, p->name);
		buf_add_str(&x->b, "\">");
		html_esc(&x->b, p->name);
		buf_add_str(&x->b, "</a></td>");
		td(&x->b, p->odette);
		td(&x->b, trace_pstate_name(ps.state));
		td_time(&x->b, ps.changed);
		buf_addf(&x->b, "<td>%zu</td>", held);
		partner_forms(x, p->name);
		buf_add_str(&x->b, "</tr>\n");
	}
	if (j != NULL)
		return send_json(x, MHD_HTTP_OK, json_pack("{s:o}", "partners",
		    j));
	buf_add_str(&x->b, "</table></div>\n");
	return page_end(x);
}

/* --- actions (POST, operator, CSRF token checked by the caller) ------ */

static enum MHD_Result
acted(struct ctx *x, int rc, const char *back)
{
	if (rc < 0)
		return refuse(x, x->o.code == EX_NOUSER ? MHD_HTTP_NOT_FOUND :
		    x->o.code == EX_TEMPFAIL ? MHD_HTTP_SERVICE_UNAVAILABLE :
		    MHD_HTTP_CONFLICT, x->o.err);
	log_info("%s: %s%s%s", x->u->name, x->o.info, x->o.warn[0] ? "; " :
	    "", x->o.warn);
	if (x->api)
		return send_json(x, MHD_HTTP_OK, json_pack("{s:b,s:s,s:s}",
		    "ok", 1, "info", x->o.info, "warning", x->o.warn));
	return redirect(x, back, NULL);
}

static enum MHD_Result
act_tx(struct ctx *x, const char *id, const char *what)
{
	struct trace_row r;
	char	 back[64];
	int	 ok, rc;

	if ((ok = visible_row(x, id, &r)) <= 0)
		return refuse(x, ok < 0 ? MHD_HTTP_SERVICE_UNAVAILABLE :
		    MHD_HTTP_NOT_FOUND, "no such transaction");
	if (strcmp(what, "reactivate") == 0)
		rc = ops_reactivate(&x->o, id, &r);
	else if (strcmp(what, "delete") == 0)
		rc = ops_delete(&x->o, id, &r);
	else
		return refuse(x, MHD_HTTP_NOT_FOUND, "no such action");
	snprintf(back, sizeof(back), "/tx/%s", id);
	return acted(x, rc, back);
}

static enum MHD_Result
act_partner(struct ctx *x, const char *name)
{
	enum ops_pact a;
	const char *what = field(x, "action"), *note = field(x, "note");
	const char *until = field(x, "until");
	char	 full[TRACE_NOTE_SZ], t[32];
	time_t	 end;

	if (!webauth_sees(x->u, name) || ops_partner_named(&x->o, name) ==
	    NULL)
		return refuse(x, MHD_HTTP_NOT_FOUND, "no such partnership");
	if (what == NULL || ops_pact_parse(what, &a) < 0)
		return refuse(x, MHD_HTTP_BAD_REQUEST, "no such action");
	if (when(x, until, &end) < 0 || (end != 0 && (a != OPS_HOLD ||
	    end <= x->now)))
		return refuse(x, MHD_HTTP_BAD_REQUEST, "bad end time (a hold "
		    "only, in the future)");
	clock_iso(end, t, sizeof(t));
	snprintf(full, sizeof(full), "%.160s%s%s", note != NULL ? note : "",
	    end != 0 ? (note != NULL ? "; until " : "until ") : "",
	    end != 0 ? t : "");
	/* the end is the hold's own (partner_state.hold_until), and noted */
	return acted(x, ops_partner(&x->o, name, a, full, end, NULL),
	    "/partners");
}

/* --- login, logout, dispatch ----------------------------------------- */

static enum MHD_Result
pg_login(struct ctx *x, const char *msg)
{
	head(x, "oxgate: log in");
	if (msg != NULL) {
		buf_add_str(&x->b, "<p class=warn>");
		html_esc(&x->b, msg);
		buf_add_str(&x->b, "</p>");
	}
	buf_add_str(&x->b, "<form method=post action=\"/login\"><p><label>"
	    "user <input name=user autocomplete=username required></label>"
	    "<p><label>password <input name=password type=password "
	    "autocomplete=current-password required></label><p><button>"
	    "log in</button></form>\n");
	return page_end(x);
}

static enum MHD_Result
do_login(struct ctx *x)
{
	const char *name = field(x, "user"), *pw = field(x, "password");
	const struct web_user *u = NULL;
	struct web_session *s = NULL;
	char	 addr[64], cookie[160];
	int	 ok;

	client_addr(x, addr, sizeof(addr));
	pthread_mutex_lock(&auth_lock);
	ok = !webauth_throttled(&throttle, addr, x->now);
	pthread_mutex_unlock(&auth_lock);
	if (!ok)
		return refuse(x, MHD_HTTP_TOO_MANY_REQUESTS, "too many failed "
		    "logins: wait a quarter of an hour");
	if (name != NULL && pw != NULL)
		u = webauth_check(&users, name, pw);
	pthread_mutex_lock(&auth_lock);
	if (u == NULL)
		webauth_failed(&throttle, addr, x->now);
	else {
		webauth_ok(&throttle, addr);
		if ((s = websess_new(&sessions, u, x->now)) != NULL)
			x->sess = *s;
	}
	pthread_mutex_unlock(&auth_lock);
	if (u == NULL) {
		log_warn("login refused from %s", addr);
		buf_reset(&x->b);
		if (x->api)
			return refuse(x, MHD_HTTP_UNAUTHORIZED, "login refused");
		pg_login(x, "wrong user or password");
		return send_body(x, MHD_HTTP_UNAUTHORIZED,
		    "text/html; charset=utf-8");
	}
	if (s == NULL)
		return refuse(x, MHD_HTTP_SERVICE_UNAVAILABLE, "no random");
	s = &x->sess;
	log_info("%s logged in from %s", u->name, addr);
	snprintf(cookie, sizeof(cookie), COOKIE "=%s; Path=/; HttpOnly; "
	    "SameSite=Strict%s", s->id, tls ? "; Secure" : "");
	if (x->api) {
		struct MHD_Response *r;
		char	*j = NULL;

		json_t *o = json_pack("{s:s,s:s,s:s}", "user", u->name, "role",
		    webauth_role_name(u->role), "csrf", s->csrf);
		if (o == NULL || (j = json_dumps(o, JSON_COMPACT)) == NULL ||
		    (r = MHD_create_response_from_buffer(strlen(j), j,
		    MHD_RESPMEM_MUST_FREE)) == NULL) {
			json_decref(o);
			free(j);
			return MHD_NO;
		}
		json_decref(o);
		MHD_add_response_header(r, "Set-Cookie", cookie);
		return send_resp(x, MHD_HTTP_OK, r, "application/json");
	}
	return redirect(x, "/", cookie);
}

/* Routes that need a session; x->s and x->u are set. */
static enum MHD_Result
route(struct ctx *x, const char *p)
{
	char	 id[32], what[16];
	int	 n = 0;

	if (x->post) {
		const char *tok = field(x, "csrf");

		if (tok == NULL)
			tok = MHD_lookup_connection_value(x->c,
			    MHD_HEADER_KIND, "X-CSRF-Token");
		if (!websess_csrf_ok(x->s, tok))
			return refuse(x, MHD_HTTP_FORBIDDEN, "no or wrong CSRF "
			    "token");
		if (strcmp(p, "/logout") == 0) {
			struct web_session *live;

			pthread_mutex_lock(&auth_lock);
			if ((live = websess_get(&sessions, x->s->id, x->now)) !=
			    NULL)
				websess_end(live);
			pthread_mutex_unlock(&auth_lock);
			return redirect(x, "/login", COOKIE "=; Path=/; "
			    "Max-Age=0; HttpOnly; SameSite=Strict");
		}
		if (x->u->role != WEB_OPERATOR)
			return refuse(x, MHD_HTTP_FORBIDDEN, "viewers cannot "
			    "act");
		if (sscanf(p, "/tx/%31[0-9]/%15[a-z]%n", id, what, &n) == 2 &&
		    p[n] == '\0')
			return act_tx(x, id, what);
		if (strncmp(p, "/partners/", 10) == 0 && strchr(p + 10, '/') ==
		    NULL)
			return act_partner(x, p + 10);
		return refuse(x, MHD_HTTP_NOT_FOUND, "no such action");
	}
	if (strcmp(p, "/") == 0 || strcmp(p, "/overview") == 0)
		return pg_overview(x);
	if (strcmp(p, "/tx") == 0 || strcmp(p, "/transactions") == 0)
		return pg_transactions(x, 0);
	if (strcmp(p, "/overflow") == 0)
		return pg_transactions(x, 1);
	if (strcmp(p, "/partners") == 0)
		return pg_partners(x);
	if (strcmp(p, "/status") == 0 && !x->api)
		return pg_status_form(x);
	if (strcmp(p, "/status.csv") == 0)
		return pg_csv(x, NULL);
	if (sscanf(p, "/tx/%31[0-9]%n", id, &n) == 1 && p[n] == '\0')
		return pg_tx(x, id);
	if (sscanf(p, "/tx/%31[0-9]/csv%n", id, &n) == 1 && p[n] == '\0')
		return pg_csv(x, id);
	if (sscanf(p, "/tx/%31[0-9]/file/%15[a-z]%n", id, what, &n) == 2 &&
	    p[n] == '\0')
		return pg_file(x, id, what);
	return refuse(x, MHD_HTTP_NOT_FOUND, "no such page");
}

static enum MHD_Result
answer(struct ctx *x)
{
	const char *p = x->url;
	struct web_session *s;
	char	 tx[256];

	if (strncmp(p, "/api/v1/", 8) == 0) {
		x->api = 1;
		p += 7;		/* "/..." */
		if (strncmp(p, "/transactions", 13) == 0 && (p[13] == '\0' ||
		    p[13] == '/')) {
			snprintf(tx, sizeof(tx), "/tx%.200s", p + 13);
			p = tx;
		}
	}
	if (x->rq != NULL && x->rq->bad)
		return refuse(x, MHD_HTTP_BAD_REQUEST, "form too large");
	if (strcmp(p, "/login") == 0)
		return x->post ? do_login(x) : pg_login(x, NULL);
	pthread_mutex_lock(&auth_lock);
	if ((s = websess_get(&sessions, MHD_lookup_connection_value(x->c,
	    MHD_COOKIE_KIND, COOKIE), x->now)) != NULL) {
		x->sess = *s;
		x->s = &x->sess;
	}
	pthread_mutex_unlock(&auth_lock);
	if (x->s == NULL) {
		if (x->api || x->post)
			return refuse(x, MHD_HTTP_UNAUTHORIZED, "log in first");
		return redirect(x, "/login", NULL);
	}
	x->u = x->s->user;
	ops_init(&x->o, x->db, &g.cfg, &g.partners, x->now, x->u->name);
	return route(x, p);
}

static void
trace_drop(void *t)
{
	trace_close(t);
}

/* This thread's trace handle, opened on its first request; NULL logged. */
static struct trace *
thread_trace(void)
{
	struct trace *t = pthread_getspecific(trace_key);
	char	 err[512];

	if (t != NULL)
		return t;
	if (trace_open(g.cfg.tracedb, 0, &t, err, sizeof(err)) < 0) {
		log_error("%s", err);
		return NULL;
	}
	pthread_setspecific(trace_key, t);
	return t;
}

static enum MHD_Result
handler(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *data, size_t *size,
    void **con_cls)
{
	struct ctx x;
	struct req *rq = *con_cls;
	enum MHD_Result rc;
	int	 post = strcmp(method, "POST") == 0;

	(void)cls, (void)version;
	if (rq == NULL) {	/* the headers: nothing to answer yet */
		if ((rq = calloc(1, sizeof(*rq))) == NULL)
			return MHD_NO;
		*con_cls = rq;
		if (post && (rq->pp = MHD_create_post_processor(c, 4096,
		    post_field, rq)) == NULL)
			rq->bad = 1;	/* not a form */
		return MHD_YES;
	}
	if (post && *size > 0) {
		if (rq->pp != NULL && MHD_post_process(rq->pp, data, *size) !=
		    MHD_YES)
			rq->bad = 1;
		*size = 0;
		return MHD_YES;
	}
	memset(&x, 0, sizeof(x));
	x.c = c;
	x.url = url;
	x.post = post;
	x.rq = rq;
	x.now = clock_now();
	x.db = thread_trace();
	buf_init(&x.b);
	if (!post && strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		rc = refuse(&x, MHD_HTTP_METHOD_NOT_ALLOWED, "GET or POST");
	else if (x.db == NULL)
		rc = refuse(&x, MHD_HTTP_SERVICE_UNAVAILABLE, "the trace cannot "
		    "be opened");
	else
		rc = answer(&x);
	buf_free(&x.b);
	return rc;
}

/* --- main ------------------------------------------------------------ */

/* The password: one line from standard input, not echoed on a terminal. */
static void
read_password(char *pw, size_t n)
{
	struct termios t, quiet;
	int	 tty = isatty(0) && tcgetattr(0, &t) == 0;
	size_t	 k;

	if (tty) {
		fprintf(stderr, "password: ");
		quiet = t;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(0, TCSAFLUSH, &quiet);
	}
	if (fgets(pw, (int)n, stdin) == NULL)
		pw[0] = '\0';
	if (tty) {
		tcsetattr(0, TCSAFLUSH, &t);
		fprintf(stderr, "\n");
	}
	k = strcspn(pw, "\r\n");
	pw[k] = '\0';
}

static int
add_user(const char *conf, const char *name, const char *role,
    const char *partners)
{
	struct ox_config cfg;
	enum web_role r;
	char	 err[CONFIG_ERR_MAX], pw[512];

	if (role == NULL || webauth_role_parse(role, &r) < 0)
		usage(EX_USAGE);
	config_init(&cfg);
	if (config_load(conf, &cfg, err, sizeof(err)) != CONFIG_OK)
		log_fatal(EX_CONFIG, "%s", err);
	read_password(pw, sizeof(pw));
	if (webauth_add(cfg.web_users, name, r, partners, pw, err,
	    sizeof(err)) < 0)
		log_fatal(EX_DATAERR, "%s", err);
	explicit_bzero(pw, sizeof(pw));
	log_info("%s: user %s (%s%s%s)", cfg.web_users, name, role,
	    partners != NULL ? ", partners " : "", partners != NULL ?
	    partners : "");
	return EX_OK;
}

/* The listening socket, made before the sandbox (Landlock ABI 4 forbids
 * a later bind). */
static int
listen_on(const struct ox_config *c)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
	socklen_t len;
	int	 fd, one = 1;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, c->web_listen, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)c->web_port);
		len = sizeof(*a4);
	} else if (inet_pton(AF_INET6, c->web_listen, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)c->web_port);
		len = sizeof(*a6);
	} else
		log_fatal(EX_CONFIG, "[web] listen: %s", c->web_listen);
	if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 64) < 0)
		log_fatal(EX_UNAVAILABLE, "%s port %u: %s", c->web_listen,
		    c->web_port, strerror(errno));
	return fd;
}

static char *
read_pem(const char *path)
{
	struct buf b;
	char	*s;
	int	 fd;

	buf_init(&b);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 ||
	    buf_read_fd(&b, fd, 1 << 20) < 0 || !buf_add_u8(&b, 0))
		log_fatal(EX_CONFIG, "%s: %s", path, strerror(errno));
	close(fd);
	s = strdup((const char *)b.p);
	buf_free(&b);
	if (s == NULL)
		log_fatal(EX_OSERR, "out of memory");
	return s;
}

static int
serve(const char *conf)
{
	struct MHD_Daemon *d;
	char	 err[CONFIG_ERR_MAX], *cert = NULL, *key = NULL;
	sigset_t sigs;
	int	 fd, sig, rc;

	if ((rc = gw_open(&g, conf, err, sizeof(err))) != EX_OK)
		log_fatal(rc, "%s", err);
	/* a configuration refused: what is open is closed before the exit */
	rc = webauth_load(g.cfg.web_users, &users, err, sizeof(err));
	if (rc == 0 && (g.cfg.web_cert[0] != '\0') !=
	    (g.cfg.web_key[0] != '\0')) {
		snprintf(err, sizeof(err), "%s: [web] certificate and key go "
		    "together", conf);
		rc = -1;
	}
	if (rc < 0) {
		webauth_free(&users);
		gw_close(&g);
		log_fatal(EX_CONFIG, "%s", err);
	}
	if ((tls = g.cfg.web_cert[0] != '\0')) {
		cert = read_pem(g.cfg.web_cert);
		key = read_pem(g.cfg.web_key);
	}
	fd = listen_on(&g.cfg);
	gw_sandbox(&g, NULL, NULL);
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	pthread_key_create(&trace_key, trace_drop);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO |
	    MHD_USE_ERROR_LOG | (tls ? MHD_USE_TLS : 0), 0, NULL, NULL,
	    handler, NULL, MHD_OPTION_LISTEN_SOCKET, fd,
	    MHD_OPTION_THREAD_POOL_SIZE, WEB_THREADS,
	    MHD_OPTION_NOTIFY_COMPLETED, req_done, NULL,
	    MHD_OPTION_CONNECTION_LIMIT, 256u, MHD_OPTION_CONNECTION_TIMEOUT,
	    30u, tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, cert,
	    MHD_OPTION_HTTPS_MEM_KEY, key, MHD_OPTION_END);
	if (d == NULL)
		log_fatal(EX_UNAVAILABLE, "the HTTP server did not start");
	log_info("listening on %s port %u (%s), %zu users", g.cfg.web_listen,
	    g.cfg.web_port, tls ? "https" : "http", users.n);
	sigwait(&sigs, &sig);
	MHD_stop_daemon(d);
	free(cert);
	free(key);
	webauth_free(&users);
	gw_close(&g);
	log_info("stopped");
	return EX_OK;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "add-user", required_argument, NULL, 'A' },
		{ "role", required_argument, NULL, 'R' },
		{ "partners", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *conf = NULL, *add = NULL, *role = NULL, *partners = NULL;
	int	 ch, verbose = 0;

	log_open(argv[0], 0, 0);
	while ((ch = getopt_long(argc, argv, "c:v", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			conf = optarg;
			break;
		case 'A':
			add = optarg;
			break;
		case 'R':
			role = optarg;
			break;
		case 'P':
			partners = optarg;
			break;
		default:
			opt_common(ch, "oxweb", &verbose, usage);
		}
	}
	if (optind != argc || ((role != NULL || partners != NULL) &&
	    add == NULL))
		usage(EX_USAGE);
	if (conf == NULL)
		conf = config_default_path();
	if (add != NULL)
		return add_user(conf, add, role, partners);
	return serve(conf);
}
