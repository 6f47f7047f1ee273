/*
 * NAME
 *	html - the one escaping of text into HTML and into URLs
 * SYNOPSIS
 *	#include "util/html.h"
 *
 *	html_esc(&b, row->oftp.dsn);
 *	url_esc(&b, partner);
 * DESCRIPTION
 *	Every value oxweb puts into a page goes through html_esc(): the
 *	trace holds what partners sent (DSNs, descriptions, subjects, O/R
 *	names), hostile input. It appends s to b with & < > " ' written as
 *	character references, so the text is safe in element content and
 *	in quoted attribute values alike; C0 control characters and DEL
 *	become U+FFFD (nothing in the trace is meant to control a
 *	terminal or a page); octets that are not UTF-8 become U+FFFD as
 *	well (the page is UTF-8). url_esc() appends s percent-encoded
 *	(RFC 3986 2.1: every octet but the unreserved ALPHA DIGIT - . _ ~),
 *	for a value in a path segment or a query.
 *	utf8_len() says how long the UTF-8 sequence at s is (1 to 4), or 0
 *	when it is not one (overlong forms, surrogates and values above
 *	U+10FFFF are not UTF-8: RFC 3629 3).
 * DIAGNOSTICS
 *	None: an out of memory condition is the buffer's (buf_error()).
 */
#ifndef OX_HTML_H
#define OX_HTML_H

#include <stddef.h>

struct buf;

void	 html_esc(struct buf *, const char *);
void	 url_esc(struct buf *, const char *);
size_t	 utf8_len(const unsigned char *, size_t);

#endif
