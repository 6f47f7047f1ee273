/*
 * NAME
 *	t61 - TeletexString (T.61) text to and from UTF-8
 * SYNOPSIS
 *	#include "x400/t61.h"
 *
 *	t61_from_utf8("Rechnung für März", -1, &b, &lossy);
 *	t61_to_utf8(p, n, &b);
 * DESCRIPTION
 *	X.400 carries subjects, free-form names and comments as
 *	TeletexString: T.61's primary set is ASCII except for a few
 *	positions, and an accented letter is a non-spacing diacritical mark
 *	(0xC1-0xCF) followed by its base letter, "ü" = C8 75. The Latin-1
 *	letters are composed from those; ß, Æ, æ, Ø, ø, Ð, ð, Þ, þ and a few
 *	symbols have code points of their own in the supplementary set.
 *	t61_from_utf8() maps every character of Latin-1 that T.61 can carry
 *	and writes '?' for the others (setting *lossy); control characters
 *	become spaces. t61_to_utf8() is the reverse; a diacritic that
 *	composes no Latin-1 letter gives the base letter alone, an octet T.61
 *	does not define gives U+FFFD. t61_fit() is how many of the n
 *	octets of a T.61 string fit into max octets without splitting a
 *	diacritic from its letter (an X.400 upper bound cuts there).
 * DIAGNOSTICS
 *	Both conversions return 0, or -1 when the output buffer fails (no
 *	memory).
 */
#ifndef OX_T61_H
#define OX_T61_H

#include <stddef.h>
#include <sys/types.h>

#include "util/buf.h"

int	t61_from_utf8(const char *, ssize_t, struct buf *, int *);
int	t61_to_utf8(const void *, size_t, struct buf *);
size_t	t61_fit(const void *, size_t, size_t);

#endif
