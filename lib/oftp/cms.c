/*
 * NAME
 *	cms - OFTP2 file-level security and signed EERP / NERP (see cms.h)
 * DESCRIPTION
 *	SignedData and EnvelopedData are made and checked by OpenSSL's CMS
 *	API; CompressedData (RFC 3274) by our BER writer and zlib, because
 *	Debian's OpenSSL is built without zlib.
 *
 *	Wrapping streams through OpenSSL (i2d_CMS_bio_stream writes BER
 *	with indefinite lengths while it reads the content). Unwrapping
 *	cannot use d2i_CMS_bio, which loads the whole structure, content
 *	included. So each layer is read here as a stream of TLV headers
 *	(struct src): the few small elements around the content are copied
 *	into a "detached" DER structure in memory, the content octets
 *	stream to an unlinked temporary file, and OpenSSL gets the detached
 *	structure with the file as its detached content (CMS_verify,
 *	CMS_decrypt with dcont). Omitting the content does not change what
 *	is signed (the digest covers the content octets only) or encrypted.
 *	CompressedData is inflated straight from the stream.
 *
 *	Stream parsing follows the bounded-cursor rules: every header is
 *	checked against its enclosing element, indefinite lengths end with
 *	an end-of-contents pair, the elements kept in memory are limited to
 *	CMS_META_MAX octets, nesting to CMS_DEPTH_MAX.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <zlib.h>

#include "asn1/ber.h"
#include "oftp/cms.h"
#include "util/afile.h"
#include "util/err.h"

#define CMS_CHUNK	65536
#define CMS_META_MAX	(1U << 20)	/* certificates, signer infos, ... */
#define CMS_DEPTH_MAX	32
#define CMS_OID_MAX	64

static const char *const cms_errtext[CMS_NERR] = {
	[CMS_OK] = "no error",
	[CMS_EARG] = "bad argument",
	[CMS_EKEY] = "key or certificate unusable",
	[CMS_EIO] = "read or write failed",
	[CMS_ENOMEM] = "out of memory",
	[CMS_ESIGN] = "signing failed",
	[CMS_EENCRYPT] = "encryption failed",
	[CMS_ECOMPRESS] = "compression failed",
	[CMS_EFORMAT] = "malformed CMS structure",
	[CMS_ESIG] = "signature not valid",
	[CMS_ESIGNER] = "signer is not the partner",
	[CMS_ECONTENT] = "signed content differs from the expected octets",
	[CMS_EDECRYPT] = "decryption failed",
	[CMS_EDECOMP] = "decompression failed",
	[CMS_EBOMB] = "decompressed size above the limit",
	[CMS_ELAYER] = "security layers not as expected",
};

/* DER contents of the OIDs we look for. */
static const uint8_t oid_data[] = {
	0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01 };
static const uint8_t oid_signed[] = {
	0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02 };
static const uint8_t oid_enveloped[] = {
	0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x03 };
static const uint8_t oid_compressed[] = {		/* RFC 3274 */
	0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x01, 0x09 };
static const uint8_t oid_zlib[] = {
	0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x03, 0x08 };

/* The SFIDCIPH table: RFC 5024 10.2 (01, 02) and the Odette list. */
static const struct suite_impl {
	struct cms_suite	 pub;
	const EVP_CIPHER	*(*cipher)(void);
	const EVP_MD		*(*md)(void);
} suites[] = {
	{ { 1, "DES-EDE3-CBC", "1.2.840.113549.3.7", "SHA1", 20 },
	    EVP_des_ede3_cbc, EVP_sha1 },
	{ { 2, "AES-256-CBC", "2.16.840.1.101.3.4.1.42", "SHA1", 20 },
	    EVP_aes_256_cbc, EVP_sha1 },
	{ { 3, "DES-EDE3-CBC", "1.2.840.113549.3.7", "SHA256", 32 },
	    EVP_des_ede3_cbc, EVP_sha256 },
	{ { 4, "AES-256-CBC", "2.16.840.1.101.3.4.1.42", "SHA256", 32 },
	    EVP_aes_256_cbc, EVP_sha256 },
	{ { 5, "DES-EDE3-CBC", "1.2.840.113549.3.7", "SHA512", 64 },
	    EVP_des_ede3_cbc, EVP_sha512 },
	{ { 6, "AES-256-CBC", "2.16.840.1.101.3.4.1.42", "SHA512", 64 },
	    EVP_aes_256_cbc, EVP_sha512 },
};

struct cms_keys {
	EVP_PKEY	*key;		/* ours */
	X509		*cert;		/* ours */
	X509		*partner;	/* the partner's, trusted as it is */
};

const char *
cms_strerror(int e)
{
	if (e < 0 || e >= CMS_NERR || cms_errtext[e] == NULL)
		return "unknown error";
	return cms_errtext[e];
}

static const struct suite_impl *
suite_impl(unsigned code)
{
	if (code < CMS_SUITE_MIN || code > CMS_SUITE_MAX)
		return NULL;
	return &suites[code - 1];
}

const struct cms_suite *
cms_suite(unsigned code)
{
	const struct suite_impl *s = suite_impl(code);

	return s ? &s->pub : NULL;
}

/*
 * One line for an OpenSSL failure: what we did and OpenSSL's reason
 * (the last error of its queue, the one nearest to the API); the queue
 * is cleared so that the next operation starts clean.
 */
static int
ossl_fail(char *err, size_t errlen, int code, const char *what)
{
	unsigned long	 e = ERR_peek_last_error();
	const char	*r = e ? ERR_reason_error_string(e) : NULL;
	int		 ret;

	ret = errf(err, errlen, code, "%s%s%s", what, r ? ": " : "",
	    r ? r : "");
	ERR_clear_error();
	return ret;
}

/* Hashes */

static int
hash_init(unsigned suite, EVP_MD_CTX **ctx, char *err, size_t errlen)
{
	const struct suite_impl *s;

	if ((s = suite_impl(suite)) == NULL)
		return errf(err, errlen, CMS_EARG, "cipher suite %u unknown",
		    suite);
	if ((*ctx = EVP_MD_CTX_new()) == NULL)
		return errf(err, errlen, CMS_ENOMEM, "hash: out of memory");
	if (EVP_DigestInit_ex(*ctx, s->md(), NULL) != 1) {
		EVP_MD_CTX_free(*ctx);
		*ctx = NULL;
		return ossl_fail(err, errlen, CMS_EARG, "hash init");
	}
	return CMS_OK;
}

static int
hash_final(EVP_MD_CTX *ctx, uint8_t *md, size_t *mdlen, char *err,
    size_t errlen)
{
	unsigned int n = 0;
	int	 ok;

	ok = EVP_DigestFinal_ex(ctx, md, &n) == 1;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return ossl_fail(err, errlen, CMS_EARG, "hash final");
	*mdlen = n;
	return CMS_OK;
}

/* Hash fd from its position to its end; md holds CMS_HASH_MAX octets. */
int
cms_hash_fd(unsigned suite, int fd, uint8_t *md, size_t *mdlen, char *err,
    size_t errlen)
{
	EVP_MD_CTX *ctx;
	uint8_t	*chunk;
	ssize_t	 r;
	int	 e;

	if ((e = hash_init(suite, &ctx, err, errlen)) != CMS_OK)
		return e;
	if ((chunk = malloc(CMS_CHUNK)) == NULL) {
		EVP_MD_CTX_free(ctx);
		return errf(err, errlen, CMS_ENOMEM, "hash: out of memory");
	}
	for (;;) {
		r = read(fd, chunk, CMS_CHUNK);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (EVP_DigestUpdate(ctx, chunk, (size_t)r) != 1) {
			free(chunk);
			EVP_MD_CTX_free(ctx);
			return ossl_fail(err, errlen, CMS_EARG, "hash");
		}
	}
	free(chunk);
	if (r < 0) {
		e = errno;
		EVP_MD_CTX_free(ctx);
		return errf(err, errlen, CMS_EIO, "hash: read: %s",
		    strerror(e));
	}
	return hash_final(ctx, md, mdlen, err, errlen);
}

int
cms_hash_mem(unsigned suite, const void *p, size_t n, uint8_t *md,
    size_t *mdlen, char *err, size_t errlen)
{
	EVP_MD_CTX *ctx;
	int	 e;

	if ((e = hash_init(suite, &ctx, err, errlen)) != CMS_OK)
		return e;
	if (EVP_DigestUpdate(ctx, p, n) != 1) {
		EVP_MD_CTX_free(ctx);
		return ossl_fail(err, errlen, CMS_EARG, "hash");
	}
	return hash_final(ctx, md, mdlen, err, errlen);
}

/* Keys */

/* Never prompt: an encrypted key is an error. */
static int
no_passphrase(char *b, int size, int rw, void *u)
{
	(void)b;
	(void)size;
	(void)rw;
	(void)u;
	return -1;
}

static int
load_pem(const char *path, const char *what, EVP_PKEY **key, X509 **cert,
    char *err, size_t errlen)
{
	BIO	*b;
	char	 msg[512];

	errno = 0;
	if ((b = BIO_new_file(path, "r")) == NULL) {
		ERR_clear_error();
		return errf(err, errlen, CMS_EKEY, "%s %s: %s", what, path,
		    errno ? strerror(errno) : "cannot open");
	}
	if (key != NULL)
		*key = PEM_read_bio_PrivateKey(b, NULL, no_passphrase, NULL);
	else
		*cert = PEM_read_bio_X509(b, NULL, no_passphrase, NULL);
	BIO_free(b);
	if (key != NULL ? *key == NULL : *cert == NULL) {
		snprintf(msg, sizeof(msg), "%s %s: no PEM %s (or encrypted)",
		    what, path, key ? "private key" : "certificate");
		return ossl_fail(err, errlen, CMS_EKEY, msg);
	}
	return CMS_OK;
}

int
cms_keys_load(struct cms_keys **kp, const char *keyfile, const char *certfile,
    const char *partnerfile, char *err, size_t errlen)
{
	struct cms_keys *k;
	int	 e = CMS_OK;

	*kp = NULL;
	if ((k = calloc(1, sizeof(*k))) == NULL)
		return errf(err, errlen, CMS_ENOMEM, "keys: out of memory");
	if (keyfile != NULL && (e = load_pem(keyfile, "private key",
	    &k->key, NULL, err, errlen)) != CMS_OK)
		goto fail;
	if (certfile != NULL && (e = load_pem(certfile, "certificate",
	    NULL, &k->cert, err, errlen)) != CMS_OK)
		goto fail;
	if (partnerfile != NULL && (e = load_pem(partnerfile,
	    "partner certificate", NULL, &k->partner, err, errlen)) != CMS_OK)
		goto fail;
	if (k->key != NULL && k->cert != NULL &&
	    X509_check_private_key(k->cert, k->key) != 1) {
		e = ossl_fail(err, errlen, CMS_EKEY,
		    "private key does not match our certificate");
		goto fail;
	}
	*kp = k;
	return CMS_OK;
fail:
	cms_keys_free(k);
	return e;
}

void
cms_keys_free(struct cms_keys *k)
{
	if (k == NULL)
		return;
	EVP_PKEY_free(k->key);
	X509_free(k->cert);
	X509_free(k->partner);
	free(k);
}

/* Temporary files: anonymous, in dir (NULL: $TMPDIR or /tmp). */
static int
tmp_open(const char *dir, int *fd, char *err, size_t errlen)
{
	if ((*fd = anon_file(dir)) < 0)
		return errf(err, errlen, CMS_EIO, "temporary file in %s: %s",
		    dir != NULL ? dir : "$TMPDIR", strerror(errno));
	return CMS_OK;
}

static int
rewind_fd(int fd, char *err, size_t errlen)
{
	int	 e;

	if (lseek(fd, 0, SEEK_SET) < 0) {
		e = errno;
		return errf(err, errlen, CMS_EIO, "temporary file: seek: %s",
		    strerror(e));
	}
	return CMS_OK;
}

/*
 * Output sinks: an fd or a buf, with a limit on the total (0: none).
 */
struct sink {
	int		 fd;
	struct buf	*b;
	uint64_t	 n;
	uint64_t	 max;
	const char	*what;
};

static int
sink_write(struct sink *k, const void *p, size_t n, char *err, size_t errlen)
{
	int	 e;

	if (k->max != 0 && n > k->max - k->n)
		return errf(err, errlen, CMS_EBOMB, "%s: output above the "
		    "limit of %llu octets", k->what,
		    (unsigned long long)k->max);
	if (k->b != NULL) {
		if (!buf_add(k->b, p, n))
			return errf(err, errlen, CMS_ENOMEM, "%s: out of "
			    "memory", k->what);
	} else if (write_all(k->fd, p, n) < 0) {
		e = errno;
		return errf(err, errlen, CMS_EIO, "%s: write: %s", k->what,
		    strerror(e));
	}
	k->n += n;
	return CMS_OK;
}

/*
 * A byte stream read from an fd (through a buffer) or from memory,
 * consumed from the front. off is the absolute offset of the next
 * unread byte, for messages and for checking element ends.
 */
struct src {
	int		 fd;		/* -1: memory */
	uint8_t		*mem;		/* our buffer (fd mode) */
	const uint8_t	*p;
	size_t		 pos, len;
	uint64_t	 off;
	const char	*what;		/* layer name for messages */
	char		*err;
	size_t		 errlen;
};

struct stlv {
	uint8_t		 cls, cons, indef;
	uint32_t	 tag;
	uint64_t	 off;		/* of the identifier octet */
	uint64_t	 len;		/* definite: contents length */
	uint64_t	 end;		/* definite: offset past the contents */
	uint8_t		 hdr[16];
	size_t		 hdrlen;
};

typedef int (*octets_fn)(void *, const uint8_t *, size_t);

static int
src_init_fd(struct src *s, int fd, const char *what, char *err, size_t errlen)
{
	memset(s, 0, sizeof(*s));
	s->fd = fd;
	s->what = what;
	s->err = err;
	s->errlen = errlen;
	if ((s->mem = malloc(CMS_CHUNK)) == NULL)
		return errf(err, errlen, CMS_ENOMEM, "%s: out of memory",
		    what);
	s->p = s->mem;
	return CMS_OK;
}

static void
src_init_mem(struct src *s, const void *p, size_t n, const char *what,
    char *err, size_t errlen)
{
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->p = p;
	s->len = n;
	s->what = what;
	s->err = err;
	s->errlen = errlen;
}

static void
src_free(struct src *s)
{
	free(s->mem);
	s->mem = NULL;
}

static size_t
src_avail(const struct src *s)
{
	return s->len - s->pos;
}

/* Have at least need (<= CMS_CHUNK) octets buffered, unless at EOF. */
static int
src_fill(struct src *s, size_t need)
{
	ssize_t	 r;
	int	 e;

	if (s->fd < 0 || src_avail(s) >= need)
		return CMS_OK;
	if (s->pos > 0) {
		memmove(s->mem, s->mem + s->pos, src_avail(s));
		s->len -= s->pos;
		s->pos = 0;
	}
	while (s->len < need) {
		r = read(s->fd, s->mem + s->len, CMS_CHUNK - s->len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			e = errno;
			return errf(s->err, s->errlen, CMS_EIO, "%s: read: %s",
			    s->what, strerror(e));
		}
		if (r == 0)
			break;
		s->len += (size_t)r;
	}
	return CMS_OK;
}

static int
src_bad(struct src *s, uint64_t off, const char *why)
{
	return errf(s->err, s->errlen, CMS_EFORMAT, "%s: offset %llu: %s",
	    s->what, (unsigned long long)off, why);
}

static int
src_get_u8(struct src *s, uint8_t *o)
{
	int	 e;

	if ((e = src_fill(s, 1)) != CMS_OK)
		return e;
	if (src_avail(s) == 0)
		return src_bad(s, s->off, "truncated");
	*o = s->p[s->pos++];
	s->off++;
	return CMS_OK;
}

/* Up to n octets in place (at least one unless n is 0). */
static int
src_take(struct src *s, uint64_t n, const uint8_t **p, size_t *got)
{
	int	 e;

	if ((e = src_fill(s, 1)) != CMS_OK)
		return e;
	if (n > 0 && src_avail(s) == 0)
		return src_bad(s, s->off, "truncated");
	*got = src_avail(s) < n ? src_avail(s) : (size_t)n;
	*p = s->p + s->pos;
	s->pos += *got;
	s->off += *got;
	return CMS_OK;
}

/*
 * The identifier and length octets of the next element, checked
 * against its parent (NULL at the top).
 */
static int
src_hdr(struct src *s, const struct stlv *parent, struct stlv *t)
{
	uint8_t	 id, o;
	uint64_t l;
	unsigned n;
	int	 e;

	memset(t, 0, sizeof(*t));
	t->off = s->off;
	if ((e = src_get_u8(s, &id)) != CMS_OK)
		return e;
	t->hdr[t->hdrlen++] = id;
	t->cls = id & 0xc0;
	t->cons = (id & 0x20) != 0;
	t->tag = id & 0x1f;
	if (t->tag == 0x1f) {
		t->tag = 0;
		for (n = 0;; n++) {
			if ((e = src_get_u8(s, &o)) != CMS_OK)
				return e;
			if ((n == 0 && o == 0x80) || n == 4)
				return src_bad(s, t->off, "malformed tag");
			t->hdr[t->hdrlen++] = o;
			t->tag = t->tag << 7 | (o & 0x7f);
			if (!(o & 0x80))
				break;
		}
	}
	if ((e = src_get_u8(s, &o)) != CMS_OK)
		return e;
	t->hdr[t->hdrlen++] = o;
	if (o == 0x80) {
		if (!t->cons)
			return src_bad(s, t->off, "indefinite length on a "
			    "primitive element");
		t->indef = 1;
	} else if (o < 0x80)
		t->len = o;
	else {
		if (o == 0xff || (o & 0x7f) > 8)
			return src_bad(s, t->off, "malformed length");
		l = 0;
		for (n = o & 0x7f; n > 0; n--) {
			if ((e = src_get_u8(s, &o)) != CMS_OK)
				return e;
			if (l >> 55)
				return src_bad(s, t->off, "length too large");
			t->hdr[t->hdrlen++] = o;
			l = l << 8 | o;
		}
		t->len = l;
	}
	if (t->cls == BER_UNIV && t->tag == 0)
		return src_bad(s, t->off, "unexpected end-of-contents");
	if (!t->indef) {
		t->end = s->off + t->len;
		if (parent != NULL && !parent->indef && t->end > parent->end)
			return src_bad(s, t->off, "length runs past the "
			    "enclosing element");
	}
	if (parent != NULL && !parent->indef && s->off > parent->end)
		return src_bad(s, t->off, "element runs past the enclosing "
		    "element");
	return CMS_OK;
}

/* Is there another child in t? (Does not consume an end-of-contents.) */
static int
src_more(struct src *s, const struct stlv *t, int *more)
{
	int	 e;

	if (!t->indef) {
		if (s->off > t->end)
			return src_bad(s, t->off, "contents run past the "
			    "element's length");
		*more = s->off < t->end;
		return CMS_OK;
	}
	if ((e = src_fill(s, 2)) != CMS_OK)
		return e;
	if (src_avail(s) < 2)
		return src_bad(s, s->off, "truncated (missing "
		    "end-of-contents)");
	*more = !(s->p[s->pos] == 0 && s->p[s->pos + 1] == 0);
	return CMS_OK;
}

/* The end of t's contents: nothing more inside it. */
static int
src_close(struct src *s, const struct stlv *t)
{
	int	 more, e;

	if ((e = src_more(s, t, &more)) != CMS_OK)
		return e;
	if (more)
		return src_bad(s, s->off, "unexpected element");
	if (t->indef) {
		s->pos += 2;
		s->off += 2;
	}
	return CMS_OK;
}

/* The whole input must have been consumed. */
static int
src_eof(struct src *s)
{
	int	 e;

	if ((e = src_fill(s, 1)) != CMS_OK)
		return e;
	if (src_avail(s) != 0)
		return src_bad(s, s->off, "data after the end of the "
		    "structure");
	return CMS_OK;
}

static int
src_expect(struct src *s, const struct stlv *parent, uint8_t cls,
    uint32_t tag, int cons, struct stlv *t, const char *what)
{
	char	 msg[128];
	int	 more, e;

	if (parent != NULL) {
		if ((e = src_more(s, parent, &more)) != CMS_OK)
			return e;
		if (!more) {
			snprintf(msg, sizeof(msg), "%s missing", what);
			return src_bad(s, s->off, msg);
		}
	}
	if ((e = src_hdr(s, parent, t)) != CMS_OK)
		return e;
	if (t->cls != cls || t->tag != tag || (cons >= 0 && t->cons != cons)) {
		snprintf(msg, sizeof(msg), "%s expected", what);
		return src_bad(s, t->off, msg);
	}
	return CMS_OK;
}

/* The contents of a small primitive element. */
static int
src_prim(struct src *s, const struct stlv *t, uint8_t *out, size_t max,
    size_t *n)
{
	const uint8_t *p;
	size_t	 got, done = 0;
	int	 e;

	if (t->cons || t->len > max)
		return src_bad(s, t->off, "element too long");
	while (done < t->len) {
		if ((e = src_take(s, t->len - done, &p, &got)) != CMS_OK)
			return e;
		memcpy(out + done, p, got);
		done += got;
	}
	*n = done;
	return CMS_OK;
}

static int
src_oid(struct src *s, const struct stlv *parent, uint8_t *oid, size_t *n,
    const char *what)
{
	struct stlv t;
	int	 e;

	if ((e = src_expect(s, parent, BER_UNIV, BER_OID, 0, &t, what)) !=
	    CMS_OK)
		return e;
	return src_prim(s, &t, oid, CMS_OID_MAX, n);
}

static int
oid_is(const uint8_t *oid, size_t n, const uint8_t *want, size_t wn)
{
	return n == wn && memcmp(oid, want, n) == 0;
}

/* Copy a whole element (header already read into t) into out. */
static int
src_elem(struct src *s, const struct stlv *t, struct buf *out, unsigned depth)
{
	struct stlv c;
	const uint8_t *p;
	uint64_t done = 0;
	size_t	 got;
	int	 more, e;

	if (depth > CMS_DEPTH_MAX)
		return src_bad(s, t->off, "nested too deeply");
	if (!buf_add(out, t->hdr, t->hdrlen))
		return errf(s->err, s->errlen, CMS_ENOMEM, "%s: out of memory",
		    s->what);
	if (!t->indef) {
		if (t->len > CMS_META_MAX - out->len)
			return src_bad(s, t->off, "element too large");
		while (done < t->len) {
			if ((e = src_take(s, t->len - done, &p, &got)) !=
			    CMS_OK)
				return e;
			if (!buf_add(out, p, got))
				return errf(s->err, s->errlen, CMS_ENOMEM,
				    "%s: out of memory", s->what);
			done += got;
		}
		return CMS_OK;
	}
	for (;;) {
		if ((e = src_more(s, t, &more)) != CMS_OK)
			return e;
		if (!more)
			break;
		if ((e = src_hdr(s, t, &c)) != CMS_OK ||
		    (e = src_elem(s, &c, out, depth + 1)) != CMS_OK)
			return e;
		if (out->len > CMS_META_MAX)
			return src_bad(s, t->off, "element too large");
	}
	if ((e = src_close(s, t)) != CMS_OK)
		return e;
	if (!buf_add(out, "\0\0", 2))
		return errf(s->err, s->errlen, CMS_ENOMEM, "%s: out of memory",
		    s->what);
	return CMS_OK;
}

/*
 * Stream the octets of a string element to fn: a primitive one's
 * contents, or a constructed one's OCTET STRING segments (8.7.3).
 */
static int
src_octets(struct src *s, const struct stlv *t, octets_fn fn, void *arg,
    unsigned depth)
{
	struct stlv c;
	const uint8_t *p;
	uint64_t done = 0;
	size_t	 got;
	int	 more, e;

	if (depth > CMS_DEPTH_MAX)
		return src_bad(s, t->off, "nested too deeply");
	if (!t->cons) {
		while (done < t->len) {
			if ((e = src_take(s, t->len - done, &p, &got)) !=
			    CMS_OK || (e = fn(arg, p, got)) != CMS_OK)
				return e;
			done += got;
		}
		return CMS_OK;
	}
	for (;;) {
		if ((e = src_more(s, t, &more)) != CMS_OK)
			return e;
		if (!more)
			break;
		if ((e = src_hdr(s, t, &c)) != CMS_OK)
			return e;
		if (c.cls != BER_UNIV || c.tag != BER_OCTET_STRING)
			return src_bad(s, c.off, "OCTET STRING segment "
			    "expected");
		if ((e = src_octets(s, &c, fn, arg, depth + 1)) != CMS_OK)
			return e;
	}
	return src_close(s, t);
}

/* Layer detection */

unsigned
cms_detect(const void *p, size_t n)
{
	struct src s;
	struct stlv ci, o;
	uint8_t	 oid[CMS_OID_MAX];
	size_t	 len;
	char	 err[8];

	src_init_mem(&s, p, n, "detect", err, sizeof(err));
	if (src_hdr(&s, NULL, &ci) != CMS_OK || ci.cls != BER_UNIV ||
	    ci.tag != BER_SEQUENCE || !ci.cons)
		return 0;
	if (src_hdr(&s, &ci, &o) != CMS_OK || o.cls != BER_UNIV ||
	    o.tag != BER_OID || o.cons || src_avail(&s) < o.len ||
	    src_prim(&s, &o, oid, sizeof(oid), &len) != CMS_OK)
		return 0;
	if (oid_is(oid, len, oid_signed, sizeof(oid_signed)))
		return CMS_LAYER_SIGNED;
	if (oid_is(oid, len, oid_compressed, sizeof(oid_compressed)))
		return CMS_LAYER_COMPRESSED;
	if (oid_is(oid, len, oid_enveloped, sizeof(oid_enveloped)))
		return CMS_LAYER_ENVELOPED;
	return 0;
}

/* CompressedData (RFC 3274) */

struct inflater {
	z_stream	 z;
	int		 done;
	struct sink	*out;
	uint8_t		*obuf;
	char		*err;
	size_t		 errlen;
};

static int
inflate_octets(void *arg, const uint8_t *p, size_t n)
{
	struct inflater *f = arg;
	size_t	 have;
	int	 r, e;

	if (n == 0)
		return CMS_OK;
	if (f->done)
		return errf(f->err, f->errlen, CMS_EDECOMP, "compressed "
		    "layer: data after the end of the zlib stream");
	f->z.next_in = (Bytef *)(uintptr_t)p;
	f->z.avail_in = (uInt)n;
	do {
		f->z.next_out = f->obuf;
		f->z.avail_out = CMS_CHUNK;
		r = inflate(&f->z, Z_NO_FLUSH);
		if (r != Z_OK && r != Z_STREAM_END && r != Z_BUF_ERROR)
			return errf(f->err, f->errlen, CMS_EDECOMP,
			    "compressed layer: zlib: %s", f->z.msg ? f->z.msg :
			    "corrupt stream");
		have = CMS_CHUNK - f->z.avail_out;
		if (have > 0 && (e = sink_write(f->out, f->obuf, have, f->err,
		    f->errlen)) != CMS_OK)
			return e;
		if (r == Z_STREAM_END) {
			f->done = 1;
			if (f->z.avail_in > 0)
				return errf(f->err, f->errlen, CMS_EDECOMP,
				    "compressed layer: data after the end of "
				    "the zlib stream");
			break;
		}
		if (r == Z_BUF_ERROR && have == 0)
			break;
	} while (f->z.avail_in > 0 || f->z.avail_out == 0);
	return CMS_OK;
}

/*
 * ContentInfo { id-ct-compressedData, [0] CompressedData { version 0,
 * compressionAlgorithm { zlib }, encapContentInfo { eContentType,
 * [0] OCTET STRING } } } from s, inflated into out.
 */
static int
compressed_parse(struct src *s, struct sink *out)
{
	struct inflater f;
	struct stlv ci, t0, cd, v, alg, par, enc, x0, os;
	uint8_t	 oid[CMS_OID_MAX], ver[8];
	size_t	 n;
	int	 more, e;

	memset(&f, 0, sizeof(f));
	f.out = out;
	f.err = s->err;
	f.errlen = s->errlen;
	if ((e = src_expect(s, NULL, BER_UNIV, BER_SEQUENCE, 1, &ci,
	    "ContentInfo")) != CMS_OK ||
	    (e = src_oid(s, &ci, oid, &n, "contentType")) != CMS_OK)
		return e;
	if (!oid_is(oid, n, oid_compressed, sizeof(oid_compressed)))
		return src_bad(s, ci.off, "not id-ct-compressedData");
	if ((e = src_expect(s, &ci, BER_CTX, 0, 1, &t0, "[0] content")) !=
	    CMS_OK || (e = src_expect(s, &t0, BER_UNIV, BER_SEQUENCE, 1, &cd,
	    "CompressedData")) != CMS_OK ||
	    (e = src_expect(s, &cd, BER_UNIV, BER_INTEGER, 0, &v,
	    "version")) != CMS_OK ||
	    (e = src_prim(s, &v, ver, sizeof(ver), &n)) != CMS_OK)
		return e;
	if (n != 1 || ver[0] != 0)
		return src_bad(s, v.off, "version is not 0");
	if ((e = src_expect(s, &cd, BER_UNIV, BER_SEQUENCE, 1, &alg,
	    "compressionAlgorithm")) != CMS_OK ||
	    (e = src_oid(s, &alg, oid, &n, "algorithm")) != CMS_OK)
		return e;
	if (!oid_is(oid, n, oid_zlib, sizeof(oid_zlib)))
		return src_bad(s, alg.off, "compression algorithm is not "
		    "zlib");
	if ((e = src_more(s, &alg, &more)) != CMS_OK)
		return e;
	if (more) {			/* parameters: absent or NULL */
		if ((e = src_expect(s, &alg, BER_UNIV, BER_NULL, 0, &par,
		    "NULL parameters")) != CMS_OK)
			return e;
		if (par.len != 0)
			return src_bad(s, par.off, "malformed NULL");
	}
	if ((e = src_close(s, &alg)) != CMS_OK ||
	    (e = src_expect(s, &cd, BER_UNIV, BER_SEQUENCE, 1, &enc,
	    "encapContentInfo")) != CMS_OK ||
	    (e = src_oid(s, &enc, oid, &n, "eContentType")) != CMS_OK ||
	    (e = src_expect(s, &enc, BER_CTX, 0, 1, &x0,
	    "[0] eContent")) != CMS_OK ||
	    (e = src_expect(s, &x0, BER_UNIV, BER_OCTET_STRING, -1, &os,
	    "OCTET STRING")) != CMS_OK)
		return e;
	if ((f.obuf = malloc(CMS_CHUNK)) == NULL)
		return errf(s->err, s->errlen, CMS_ENOMEM, "compressed layer: "
		    "out of memory");
	if (inflateInit(&f.z) != Z_OK) {
		free(f.obuf);
		return errf(s->err, s->errlen, CMS_ENOMEM, "compressed layer: "
		    "zlib init failed");
	}
	e = src_octets(s, &os, inflate_octets, &f, 0);
	inflateEnd(&f.z);
	free(f.obuf);
	if (e != CMS_OK)
		return e;
	if (!f.done)
		return errf(s->err, s->errlen, CMS_EDECOMP, "compressed layer: "
		    "zlib stream truncated");
	if ((e = src_close(s, &x0)) != CMS_OK ||
	    (e = src_close(s, &enc)) != CMS_OK ||
	    (e = src_close(s, &cd)) != CMS_OK ||
	    (e = src_close(s, &t0)) != CMS_OK ||
	    (e = src_close(s, &ci)) != CMS_OK)
		return e;
	return src_eof(s);
}

int
cms_decompress(int infd, int outfd, uint64_t max, uint64_t *outlen,
    char *err, size_t errlen)
{
	struct sink out = { outfd, NULL, 0, max, "compressed layer" };
	struct src s;
	int	 e;

	if ((e = src_init_fd(&s, infd, "compressed layer", err, errlen)) !=
	    CMS_OK)
		return e;
	e = compressed_parse(&s, &out);
	src_free(&s);
	if (outlen != NULL)
		*outlen = out.n;
	return e;
}

int
cms_decompress_mem(const void *p, size_t n, struct buf *b, uint64_t max,
    char *err, size_t errlen)
{
	struct sink out = { -1, b, 0, max, "compressed layer" };
	struct src s;

	src_init_mem(&s, p, n, "compressed layer", err, errlen);
	return compressed_parse(&s, &out);
}

/* Deflate infd into a temporary file, then write the structure. */
static int
compress_stream(int infd, int outfd, const char *tmpdir, uint64_t *nin,
    uint64_t *nout, char *err, size_t errlen)
{
	z_stream z;
	struct berw w;
	uint8_t	*ibuf = NULL, *obuf = NULL;
	uint64_t zlen = 0, rd = 0;
	ssize_t	 r;
	size_t	 have;
	int	 tfd = -1, zr, flush = Z_NO_FLUSH, e, en;

	memset(&z, 0, sizeof(z));
	berw_init(&w);
	if ((e = tmp_open(tmpdir, &tfd, err, errlen)) != CMS_OK)
		goto done;
	if ((ibuf = malloc(CMS_CHUNK)) == NULL ||
	    (obuf = malloc(CMS_CHUNK)) == NULL) {
		e = errf(err, errlen, CMS_ENOMEM, "compress: out of memory");
		goto done;
	}
	if (deflateInit(&z, Z_DEFAULT_COMPRESSION) != Z_OK) {
		e = errf(err, errlen, CMS_ECOMPRESS, "compress: zlib init "
		    "failed");
		goto done;
	}
	do {
		r = read(infd, ibuf, CMS_CHUNK);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			en = errno;
			e = errf(err, errlen, CMS_EIO, "compress: read: %s",
			    strerror(en));
			goto zdone;
		}
		rd += (uint64_t)r;
		flush = r == 0 ? Z_FINISH : Z_NO_FLUSH;
		z.next_in = ibuf;
		z.avail_in = (uInt)r;
		do {
			z.next_out = obuf;
			z.avail_out = CMS_CHUNK;
			zr = deflate(&z, flush);
			if (zr == Z_STREAM_ERROR) {
				e = errf(err, errlen, CMS_ECOMPRESS,
				    "compress: zlib: %s", z.msg ? z.msg :
				    "stream error");
				goto zdone;
			}
			have = CMS_CHUNK - z.avail_out;
			if (write_all(tfd, obuf, have) < 0) {
				en = errno;
				e = errf(err, errlen, CMS_EIO, "compress: "
				    "temporary file: %s", strerror(en));
				goto zdone;
			}
			zlen += have;
		} while (z.avail_out == 0);
	} while (flush != Z_FINISH);
	e = CMS_OK;
zdone:
	deflateEnd(&z);
	if (e != CMS_OK)
		goto done;
	berw_open(&w, BER_UNIV, BER_SEQUENCE);		/* ContentInfo */
	berw_prim(&w, BER_UNIV, BER_OID, oid_compressed,
	    sizeof(oid_compressed));
	berw_open(&w, BER_CTX, 0);
	berw_open(&w, BER_UNIV, BER_SEQUENCE);		/* CompressedData */
	berw_int(&w, BER_UNIV, BER_INTEGER, 0);
	berw_open(&w, BER_UNIV, BER_SEQUENCE);		/* algorithm */
	berw_prim(&w, BER_UNIV, BER_OID, oid_zlib, sizeof(oid_zlib));
	berw_close(&w);
	berw_open(&w, BER_UNIV, BER_SEQUENCE);		/* encapContentInfo */
	berw_prim(&w, BER_UNIV, BER_OID, oid_data, sizeof(oid_data));
	berw_open(&w, BER_CTX, 0);
	berw_prim_fd(&w, BER_UNIV, BER_OCTET_STRING, tfd, 0, zlen);
	berw_close(&w);
	berw_close(&w);
	berw_close(&w);
	berw_close(&w);
	berw_close(&w);
	if ((e = berw_write_fd(&w, outfd)) != BER_OK) {
		e = errf(err, errlen, e == BER_EIO ? CMS_EIO : CMS_ECOMPRESS,
		    "compress: writing the structure: %s%s%s", ber_strerror(e),
		    w.err_errno ? ": " : "", w.err_errno ?
		    strerror(w.err_errno) : "");
		goto done;
	}
	if (nin != NULL)
		*nin = rd;
	if (nout != NULL)
		*nout = berw_size(&w);
done:
	berw_free(&w);
	free(ibuf);
	free(obuf);
	if (tfd >= 0)
		close(tfd);
	return e;
}

int
cms_compress(int infd, int outfd, const char *tmpdir, uint64_t *outlen,
    char *err, size_t errlen)
{
	return compress_stream(infd, outfd, tmpdir, NULL, outlen, err,
	    errlen);
}

/*
 * SignedData / EnvelopedData read from s: everything but the content
 * octets becomes a DER structure in meta (the content omitted, as for
 * detached content), the content octets go to the file tfd. The
 * content is eContent [0] EXPLICIT OCTET STRING in the first SEQUENCE
 * of SignedData (encapContentInfo), encryptedContent [0] IMPLICIT
 * OCTET STRING in the first SEQUENCE of EnvelopedData
 * (encryptedContentInfo).
 */
struct fd_out {
	struct sink	 k;
	char		*err;
	size_t		 errlen;
};

static int
fd_octets(void *arg, const uint8_t *p, size_t n)
{
	struct fd_out *o = arg;

	return sink_write(&o->k, p, n, o->err, o->errlen);
}

static int
detach_parse(struct src *s, unsigned kind, struct buf *meta, int tfd)
{
	struct fd_out o = { { tfd, NULL, 0, 0, s->what }, s->err, s->errlen };
	struct stlv ci, t0, sd, c, x, os;
	struct berw w;
	struct buf tmp;
	uint8_t	 oid[CMS_OID_MAX];
	size_t	 n;
	int	 more, found = 0, content = 0, e;

	berw_init(&w);
	buf_init(&tmp);
	if ((e = src_expect(s, NULL, BER_UNIV, BER_SEQUENCE, 1, &ci,
	    "ContentInfo")) != CMS_OK ||
	    (e = src_oid(s, &ci, oid, &n, "contentType")) != CMS_OK)
		goto done;
	if (kind == CMS_LAYER_SIGNED ? !oid_is(oid, n, oid_signed,
	    sizeof(oid_signed)) : !oid_is(oid, n, oid_enveloped,
	    sizeof(oid_enveloped))) {
		e = src_bad(s, ci.off, "wrong content type");
		goto done;
	}
	if ((e = src_expect(s, &ci, BER_CTX, 0, 1, &t0, "[0] content")) !=
	    CMS_OK || (e = src_expect(s, &t0, BER_UNIV, BER_SEQUENCE, 1, &sd,
	    kind == CMS_LAYER_SIGNED ? "SignedData" : "EnvelopedData")) !=
	    CMS_OK)
		goto done;
	berw_open(&w, BER_UNIV, BER_SEQUENCE);
	berw_prim(&w, BER_UNIV, BER_OID, oid, n);
	berw_open(&w, BER_CTX, 0);
	berw_open(&w, BER_UNIV, BER_SEQUENCE);
	for (;;) {
		if ((e = src_more(s, &sd, &more)) != CMS_OK)
			goto done;
		if (!more)
			break;
		if ((e = src_hdr(s, &sd, &c)) != CMS_OK)
			goto done;
		if (found || c.cls != BER_UNIV || c.tag != BER_SEQUENCE ||
		    !c.cons) {
			buf_reset(&tmp);
			if ((e = src_elem(s, &c, &tmp, 0)) != CMS_OK)
				goto done;
			berw_raw(&w, tmp.p, tmp.len);
			continue;
		}
		/* encapContentInfo / encryptedContentInfo */
		found = 1;
		berw_open(&w, BER_UNIV, BER_SEQUENCE);
		for (;;) {
			if ((e = src_more(s, &c, &more)) != CMS_OK)
				goto done;
			if (!more)
				break;
			if ((e = src_hdr(s, &c, &x)) != CMS_OK)
				goto done;
			if (x.cls != BER_CTX || x.tag != 0) {
				buf_reset(&tmp);
				if ((e = src_elem(s, &x, &tmp, 0)) != CMS_OK)
					goto done;
				berw_raw(&w, tmp.p, tmp.len);
				continue;
			}
			if (content++) {
				e = src_bad(s, x.off, "content twice");
				goto done;
			}
			if (kind == CMS_LAYER_SIGNED) {
				if (!x.cons) {
					e = src_bad(s, x.off, "[0] EXPLICIT "
					    "eContent expected");
					goto done;
				}
				if ((e = src_expect(s, &x, BER_UNIV,
				    BER_OCTET_STRING, -1, &os,
				    "eContent OCTET STRING")) != CMS_OK ||
				    (e = src_octets(s, &os, fd_octets, &o,
				    0)) != CMS_OK ||
				    (e = src_close(s, &x)) != CMS_OK)
					goto done;
			} else if ((e = src_octets(s, &x, fd_octets, &o, 0)) !=
			    CMS_OK)
				goto done;
		}
		if ((e = src_close(s, &c)) != CMS_OK)
			goto done;
		berw_close(&w);
	}
	if ((e = src_close(s, &sd)) != CMS_OK ||
	    (e = src_close(s, &t0)) != CMS_OK ||
	    (e = src_close(s, &ci)) != CMS_OK ||
	    (e = src_eof(s)) != CMS_OK)
		goto done;
	if (!found || !content) {
		e = src_bad(s, sd.off, kind == CMS_LAYER_SIGNED ?
		    "no attached content (detached signature)" :
		    "no encrypted content");
		goto done;
	}
	berw_close(&w);
	berw_close(&w);
	berw_close(&w);
	if (berw_write_buf(&w, meta) != BER_OK)
		e = errf(s->err, s->errlen, CMS_ENOMEM, "%s: out of memory",
		    s->what);
done:
	berw_free(&w);
	buf_free(&tmp);
	return e;
}

/* Signed data in memory: sign, verify */

static CMS_ContentInfo *
cms_from_der(const uint8_t *p, size_t n)
{
	const unsigned char *q = p;
	CMS_ContentInfo *cms;

	if (n > LONG_MAX || (cms = d2i_CMS_ContentInfo(NULL, &q,
	    (long)n)) == NULL)
		return NULL;
	if ((size_t)(q - p) != n) {
		CMS_ContentInfo_free(cms);
		return NULL;
	}
	return cms;
}

/* Every signer must be the partner certificate. */
static int
check_signers(CMS_ContentInfo *cms, X509 *partner, const char *what,
    char *err, size_t errlen)
{
	STACK_OF(CMS_SignerInfo) *sis;
	CMS_SignerInfo *si;
	X509_NAME *issuer = NULL;
	ASN1_INTEGER *sno = NULL;
	ASN1_OCTET_STRING *kid = NULL;
	char	 want[256], got[256];
	int	 i, n;

	if ((sis = CMS_get0_SignerInfos(cms)) == NULL ||
	    (n = sk_CMS_SignerInfo_num(sis)) <= 0)
		return errf(err, errlen, CMS_ESIG, "%s: no signer", what);
	for (i = 0; i < n; i++) {
		si = sk_CMS_SignerInfo_value(sis, i);
		if (CMS_SignerInfo_cert_cmp(si, partner) == 0)
			continue;
		X509_NAME_oneline(X509_get_subject_name(partner), want,
		    sizeof(want));
		strcpy(got, "(by key identifier)");
		if (CMS_SignerInfo_get0_signer_id(si, &kid, &issuer,
		    &sno) == 1 && issuer != NULL)
			X509_NAME_oneline(issuer, got, sizeof(got));
		ERR_clear_error();
		return errf(err, errlen, CMS_ESIGNER, "%s: signed by a "
		    "certificate of %s, not the partner certificate %s", what,
		    got, want);
	}
	return CMS_OK;
}

static int
sign_check_args(const struct cms_keys *k, unsigned suite,
    const struct suite_impl **s, char *err, size_t errlen)
{
	if ((*s = suite_impl(suite)) == NULL)
		return errf(err, errlen, CMS_EARG, "cipher suite %u unknown",
		    suite);
	if (k == NULL || k->key == NULL || k->cert == NULL)
		return errf(err, errlen, CMS_EARG, "signing needs our private "
		    "key and certificate");
	return CMS_OK;
}

int
cms_sign_data(const struct cms_keys *k, unsigned suite, const void *p,
    size_t n, struct buf *out, char *err, size_t errlen)
{
	const struct suite_impl *s;
	CMS_ContentInfo *cms = NULL;
	unsigned char *der = NULL;
	BIO	*in = NULL;
	int	 len, e;

	ERR_clear_error();
	if ((e = sign_check_args(k, suite, &s, err, errlen)) != CMS_OK)
		return e;
	if (n > INT_MAX || (in = BIO_new_mem_buf(p, (int)n)) == NULL ||
	    (cms = CMS_sign(NULL, NULL, NULL, NULL, CMS_PARTIAL |
	    CMS_BINARY)) == NULL ||
	    CMS_add1_signer(cms, k->cert, k->key, s->md(), 0) == NULL ||
	    CMS_final(cms, in, NULL, CMS_BINARY) != 1 ||
	    (len = i2d_CMS_ContentInfo(cms, &der)) <= 0) {
		e = ossl_fail(err, errlen, CMS_ESIGN, "signing");
		goto done;
	}
	if (!buf_add(out, der, (size_t)len))
		e = errf(err, errlen, CMS_ENOMEM, "signing: out of memory");
done:
	OPENSSL_free(der);
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	return e;
}

int
cms_verify_data(const struct cms_keys *k, const void *sig, size_t siglen,
    const void *want, size_t wantlen, char *err, size_t errlen)
{
	CMS_ContentInfo *cms = NULL;
	STACK_OF(X509) *certs = NULL;
	ASN1_OCTET_STRING **pos;
	BIO	*out = NULL;
	char	*got;
	long	 gotlen;
	int	 e = CMS_OK;

	ERR_clear_error();
	if (k == NULL || k->partner == NULL)
		return errf(err, errlen, CMS_EARG, "verifying needs the "
		    "partner certificate");
	if ((cms = cms_from_der(sig, siglen)) == NULL) {
		e = ossl_fail(err, errlen, CMS_EFORMAT, "signature: not a "
		    "DER CMS ContentInfo");
		goto done;
	}
	if (OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed ||
	    OBJ_obj2nid(CMS_get0_eContentType(cms)) != NID_pkcs7_data) {
		e = errf(err, errlen, CMS_EFORMAT, "signature: not a "
		    "SignedData over id-data");
		goto done;
	}
	if ((pos = CMS_get0_content(cms)) == NULL || *pos == NULL) {
		e = errf(err, errlen, CMS_EFORMAT, "signature: content not "
		    "attached");
		goto done;
	}
	if ((e = check_signers(cms, k->partner, "signature", err, errlen)) !=
	    CMS_OK)
		goto done;
	if ((certs = sk_X509_new_null()) == NULL ||
	    !sk_X509_push(certs, k->partner) ||
	    (out = BIO_new(BIO_s_mem())) == NULL) {
		e = errf(err, errlen, CMS_ENOMEM, "verify: out of memory");
		goto done;
	}
	if (CMS_verify(cms, certs, NULL, NULL, out, CMS_BINARY |
	    CMS_NO_SIGNER_CERT_VERIFY | CMS_NOINTERN) != 1) {
		e = ossl_fail(err, errlen, CMS_ESIG, "signature not valid");
		goto done;
	}
	gotlen = BIO_get_mem_data(out, &got);
	if (gotlen < 0 || (size_t)gotlen != wantlen ||
	    memcmp(got, want, wantlen) != 0)
		e = errf(err, errlen, CMS_ECONTENT, "signature valid, but the "
		    "signed content (%ld octets) is not the expected %zu "
		    "octets", gotlen, wantlen);
done:
	sk_X509_free(certs);
	BIO_free(out);
	CMS_ContentInfo_free(cms);
	ERR_clear_error();
	return e;
}

int
cms_sign_eerp(const struct cms_keys *k, unsigned suite, const struct eerp *ep,
    struct buf *out, char *err, size_t errlen)
{
	static const uint8_t placeholder = 0;
	struct eerp tmp;
	struct buf data;
	char	 e2[256];
	int	 e;

	if (ep->hash == NULL || ep->hash_len == 0)
		return errf(err, errlen, CMS_EARG, "%s: no hash to sign",
		    ep->cmd == 'N' ? "NERP" : "EERP");
	/* The signature is not signed; a placeholder passes validation. */
	tmp = *ep;
	tmp.sig = &placeholder;
	tmp.sig_len = 1;
	buf_init(&data);
	if (eerp_signed_data(&tmp, &data, e2, sizeof(e2)) != EERP_OK)
		e = errf(err, errlen, CMS_EARG, "%s: %s",
		    ep->cmd == 'N' ? "NERP" : "EERP", e2);
	else
		e = cms_sign_data(k, suite, data.p, data.len, out, err,
		    errlen);
	buf_free(&data);
	return e;
}

int
cms_verify_eerp(const struct cms_keys *k, const struct eerp *ep, char *err,
    size_t errlen)
{
	struct buf data;
	char	 e2[256];
	int	 e;

	if (ep->sig == NULL || ep->sig_len == 0)
		return errf(err, errlen, CMS_EFORMAT, "%s not signed",
		    ep->cmd == 'N' ? "NERP" : "EERP");
	buf_init(&data);
	if (eerp_signed_data(ep, &data, e2, sizeof(e2)) != EERP_OK)
		e = errf(err, errlen, CMS_EARG, "%s: %s",
		    ep->cmd == 'N' ? "NERP" : "EERP", e2);
	else
		e = cms_verify_data(k, ep->sig, ep->sig_len, data.p, data.len,
		    err, errlen);
	buf_free(&data);
	return e;
}

/* Streaming layers through OpenSSL */

/* Buffered BIOs over the caller's fds (not closed with the BIO). */
struct bio_pair {
	BIO	*in, *in_fd;
	BIO	*out, *out_fd;
};

static int
bio_pair_open(struct bio_pair *b, int infd, int outfd)
{
	memset(b, 0, sizeof(*b));
	if (infd >= 0) {
		if ((b->in_fd = BIO_new_fd(infd, BIO_NOCLOSE)) == NULL ||
		    (b->in = BIO_new(BIO_f_buffer())) == NULL)
			return -1;
		(void)BIO_set_buffer_size(b->in, CMS_CHUNK);
		b->in = BIO_push(b->in, b->in_fd);
	}
	if ((b->out_fd = BIO_new_fd(outfd, BIO_NOCLOSE)) == NULL ||
	    (b->out = BIO_new(BIO_f_buffer())) == NULL)
		return -1;
	(void)BIO_set_buffer_size(b->out, CMS_CHUNK);
	b->out = BIO_push(b->out, b->out_fd);
	return 0;
}

static void
bio_pair_close(struct bio_pair *b)
{
	if (b->in != NULL)
		BIO_free_all(b->in);
	else
		BIO_free(b->in_fd);
	if (b->out != NULL)
		BIO_free_all(b->out);
	else
		BIO_free(b->out_fd);
	memset(b, 0, sizeof(*b));
}

static int
bio_flush_out(struct bio_pair *b, const char *what, char *err, size_t errlen)
{
	int	 en;

	errno = 0;
	if (BIO_flush(b->out) != 1) {
		en = errno;
		return errf(err, errlen, CMS_EIO, "%s: write: %s", what,
		    en ? strerror(en) : "failed");
	}
	return CMS_OK;
}

/*
 * OpenSSL's streaming copy ends at the first read that returns <= 0, so
 * a read error would pass for the end of the input: for a regular file,
 * check that it was read to its end.
 */
static int
input_consumed(int infd, const char *what, char *err, size_t errlen)
{
	struct stat st;
	off_t	 pos;

	if (fstat(infd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (pos = lseek(infd, 0, SEEK_CUR)) >= 0 && pos != st.st_size)
		return errf(err, errlen, CMS_EIO, "%s: input not read to its "
		    "end (%lld of %lld octets)", what, (long long)pos,
		    (long long)st.st_size);
	return CMS_OK;
}

static int
sign_stream(const struct cms_keys *k, const struct suite_impl *s, int infd,
    int outfd, uint64_t *nin, uint64_t *nout, char *err, size_t errlen)
{
	struct bio_pair b;
	CMS_ContentInfo *cms = NULL;
	int	 e = CMS_OK;

	ERR_clear_error();
	if (bio_pair_open(&b, infd, outfd) < 0) {
		e = errf(err, errlen, CMS_ENOMEM, "signing: out of memory");
		goto done;
	}
	if ((cms = CMS_sign(NULL, NULL, NULL, NULL, CMS_PARTIAL | CMS_BINARY |
	    CMS_STREAM)) == NULL ||
	    CMS_add1_signer(cms, k->cert, k->key, s->md(), 0) == NULL ||
	    i2d_CMS_bio_stream(b.out, cms, b.in, CMS_BINARY | CMS_STREAM) !=
	    1) {
		e = ossl_fail(err, errlen, CMS_ESIGN, "signing");
		goto done;
	}
	if ((e = bio_flush_out(&b, "signing", err, errlen)) != CMS_OK ||
	    (e = input_consumed(infd, "signing", err, errlen)) != CMS_OK)
		goto done;
	*nin = BIO_number_read(b.in_fd);
	*nout = BIO_number_written(b.out_fd);
done:
	CMS_ContentInfo_free(cms);
	bio_pair_close(&b);
	return e;
}

static int
encrypt_stream(const struct cms_keys *k, const struct suite_impl *s,
    int infd, int outfd, uint64_t *nin, uint64_t *nout, char *err,
    size_t errlen)
{
	struct bio_pair b;
	STACK_OF(X509) *rcpt = NULL;
	CMS_ContentInfo *cms = NULL;
	int	 e = CMS_OK;

	ERR_clear_error();
	if (bio_pair_open(&b, infd, outfd) < 0 ||
	    (rcpt = sk_X509_new_null()) == NULL ||
	    !sk_X509_push(rcpt, k->partner)) {
		e = errf(err, errlen, CMS_ENOMEM, "encrypting: out of memory");
		goto done;
	}
	if ((cms = CMS_encrypt(rcpt, NULL, s->cipher(), CMS_BINARY |
	    CMS_STREAM)) == NULL ||
	    i2d_CMS_bio_stream(b.out, cms, b.in, CMS_BINARY | CMS_STREAM) !=
	    1) {
		e = ossl_fail(err, errlen, CMS_EENCRYPT, "encrypting");
		goto done;
	}
	if ((e = bio_flush_out(&b, "encrypting", err, errlen)) != CMS_OK ||
	    (e = input_consumed(infd, "encrypting", err, errlen)) != CMS_OK)
		goto done;
	*nin = BIO_number_read(b.in_fd);
	*nout = BIO_number_written(b.out_fd);
done:
	CMS_ContentInfo_free(cms);
	sk_X509_free(rcpt);
	bio_pair_close(&b);
	return e;
}

/*
 * Unwrap a SignedData or EnvelopedData layer from s to outfd: the
 * structure without its content to memory, the content to a
 * temporary file, then OpenSSL with the file as detached content.
 */
static int
unwrap_openssl(const struct cms_keys *k, unsigned kind, struct src *s,
    int outfd, const char *tmpdir, uint64_t *nout, char *err, size_t errlen)
{
	struct bio_pair b;
	struct buf meta;
	CMS_ContentInfo *cms = NULL;
	STACK_OF(X509) *certs = NULL;
	BIO	*dcont = NULL, *fdb = NULL;
	int	 tfd = -1, e;

	ERR_clear_error();
	memset(&b, 0, sizeof(b));
	buf_init(&meta);
	if ((e = tmp_open(tmpdir, &tfd, err, errlen)) != CMS_OK ||
	    (e = detach_parse(s, kind, &meta, tfd)) != CMS_OK ||
	    (e = rewind_fd(tfd, err, errlen)) != CMS_OK)
		goto done;
	if ((cms = cms_from_der(meta.p, meta.len)) == NULL) {
		e = ossl_fail(err, errlen, CMS_EFORMAT, kind ==
		    CMS_LAYER_SIGNED ? "signed layer: not a valid SignedData" :
		    "enveloped layer: not a valid EnvelopedData");
		goto done;
	}
	if (bio_pair_open(&b, -1, outfd) < 0 ||
	    (dcont = BIO_new(BIO_f_buffer())) == NULL ||
	    (fdb = BIO_new_fd(tfd, BIO_NOCLOSE)) == NULL) {
		e = errf(err, errlen, CMS_ENOMEM, "%s: out of memory",
		    s->what);
		goto done;
	}
	(void)BIO_set_buffer_size(dcont, CMS_CHUNK);
	dcont = BIO_push(dcont, fdb);
	fdb = NULL;
	if (kind == CMS_LAYER_SIGNED) {
		if (k == NULL || k->partner == NULL) {
			e = errf(err, errlen, CMS_EARG, "signed layer: "
			    "verifying needs the partner certificate");
			goto done;
		}
		if ((e = check_signers(cms, k->partner, "signed layer", err,
		    errlen)) != CMS_OK)
			goto done;
		if ((certs = sk_X509_new_null()) == NULL ||
		    !sk_X509_push(certs, k->partner)) {
			e = errf(err, errlen, CMS_ENOMEM, "signed layer: out "
			    "of memory");
			goto done;
		}
		if (CMS_verify(cms, certs, NULL, dcont, b.out, CMS_BINARY |
		    CMS_NO_SIGNER_CERT_VERIFY | CMS_NOINTERN) != 1) {
			e = ossl_fail(err, errlen, CMS_ESIG, "signed layer: "
			    "signature not valid");
			goto done;
		}
	} else {
		if (k == NULL || k->key == NULL) {
			e = errf(err, errlen, CMS_EARG, "enveloped layer: "
			    "decrypting needs our private key");
			goto done;
		}
		if (CMS_decrypt(cms, k->key, k->cert, dcont, b.out,
		    CMS_BINARY) != 1) {
			e = ossl_fail(err, errlen, CMS_EDECRYPT,
			    "enveloped layer: cannot decrypt");
			goto done;
		}
	}
	if ((e = bio_flush_out(&b, s->what, err, errlen)) != CMS_OK)
		goto done;
	*nout = BIO_number_written(b.out_fd);
done:
	sk_X509_free(certs);
	CMS_ContentInfo_free(cms);
	BIO_free_all(dcont);
	BIO_free(fdb);
	bio_pair_close(&b);
	buf_free(&meta);
	if (tfd >= 0)
		close(tfd);
	ERR_clear_error();
	return e;
}

/* Copy the rest of s to outfd. */
static int
src_copy(struct src *s, int outfd, uint64_t *nout)
{
	struct sink out = { outfd, NULL, 0, 0, s->what };
	const uint8_t *p;
	size_t	 got;
	int	 e;

	for (;;) {
		if ((e = src_fill(s, 1)) != CMS_OK)
			return e;
		if (src_avail(s) == 0)
			break;
		if ((e = src_take(s, src_avail(s), &p, &got)) != CMS_OK ||
		    (e = sink_write(&out, p, got, s->err, s->errlen)) != CMS_OK)
			return e;
	}
	*nout = out.n;
	return CMS_OK;
}

static uint64_t
kib_blocks(uint64_t n)
{
	return n / 1024 + (n % 1024 != 0);
}

static const char *
layer_name(unsigned kind)
{
	switch (kind) {
	case CMS_LAYER_SIGNED:
		return "signed layer";
	case CMS_LAYER_COMPRESSED:
		return "compressed layer";
	case CMS_LAYER_ENVELOPED:
		return "enveloped layer";
	}
	return "file";
}

static unsigned
layer_reason(unsigned kind)
{
	switch (kind) {
	case CMS_LAYER_SIGNED:
		return CMS_NERP_SIGNATURE;
	case CMS_LAYER_COMPRESSED:
		return CMS_NERP_DECOMPRESSION;
	case CMS_LAYER_ENVELOPED:
		return CMS_NERP_DECRYPTION;
	}
	return 0;
}

static void
result_fields(struct cms_result *r, unsigned layers, unsigned suite)
{
	r->layers = layers;
	r->sec = (layers & CMS_LAYER_ENVELOPED ? 1 : 0) |
	    (layers & CMS_LAYER_SIGNED ? 2 : 0);
	r->ciph = r->sec ? suite : 0;
	r->comp = (layers & CMS_LAYER_COMPRESSED) != 0;
	r->env = layers != 0;
}

int
cms_wrap(const struct cms_keys *k, const struct cms_opts *o, int infd,
    int outfd, struct cms_result *r, char *err, size_t errlen)
{
	static const unsigned order[] = { CMS_LAYER_SIGNED,
	    CMS_LAYER_COMPRESSED, CMS_LAYER_ENVELOPED };
	const struct suite_impl *s = NULL;
	struct src cp;
	uint64_t nin = 0, nout = 0;
	unsigned todo, i;
	int	 cur = infd, dest, e = CMS_OK;

	memset(r, 0, sizeof(*r));
	if (o->layers & ~CMS_LAYER_ALL)
		return errf(err, errlen, CMS_EARG, "unknown layer bits 0x%x",
		    o->layers);
	if ((o->layers & (CMS_LAYER_SIGNED | CMS_LAYER_ENVELOPED)) &&
	    (s = suite_impl(o->suite)) == NULL)
		return errf(err, errlen, CMS_EARG, "cipher suite %u unknown",
		    o->suite);
	if ((o->layers & CMS_LAYER_SIGNED) && (k == NULL || k->key == NULL ||
	    k->cert == NULL))
		return errf(err, errlen, CMS_EARG, "signing needs our private "
		    "key and certificate");
	if ((o->layers & CMS_LAYER_ENVELOPED) && (k == NULL ||
	    k->partner == NULL))
		return errf(err, errlen, CMS_EARG, "encrypting needs the "
		    "partner certificate");
	if (o->layers == 0) {
		if ((e = src_init_fd(&cp, infd, "copy", err, errlen)) !=
		    CMS_OK)
			return e;
		e = src_copy(&cp, outfd, &nout);
		src_free(&cp);
		if (e != CMS_OK)
			return e;
		r->in_bytes = r->out_bytes = nout;
		r->fsize = r->osize = kib_blocks(nout);
		return CMS_OK;
	}
	todo = o->layers;
	for (i = 0; i < 3; i++) {
		if (!(todo & order[i]))
			continue;
		todo &= ~order[i];
		dest = outfd;
		if (todo != 0 && (e = tmp_open(o->tmpdir, &dest, err,
		    errlen)) != CMS_OK)
			break;
		if (order[i] == CMS_LAYER_SIGNED)
			e = sign_stream(k, s, cur, dest, &nin, &nout, err,
			    errlen);
		else if (order[i] == CMS_LAYER_COMPRESSED)
			e = compress_stream(cur, dest, o->tmpdir, &nin, &nout,
			    err, errlen);
		else
			e = encrypt_stream(k, s, cur, dest, &nin, &nout, err,
			    errlen);
		if (cur == infd)
			r->in_bytes = nin;
		else
			close(cur);
		cur = dest;
		if (e == CMS_OK && todo != 0)
			e = rewind_fd(dest, err, errlen);
		if (e != CMS_OK)
			break;
	}
	if (cur != infd && cur != outfd)
		close(cur);
	if (e != CMS_OK)
		return e;
	r->out_bytes = nout;
	result_fields(r, o->layers, o->suite);
	r->fsize = kib_blocks(r->out_bytes);
	r->osize = kib_blocks(r->in_bytes);
	return CMS_OK;
}

int
cms_unwrap(const struct cms_keys *k, const struct cms_opts *o, int infd,
    int outfd, struct cms_result *r, char *err, size_t errlen)
{
	struct sink sk;
	struct src s;
	uint64_t max = o->max_out ? o->max_out : CMS_MAX_OUT_DEFAULT;
	uint64_t nout = 0;
	unsigned seen = 0, kind, i, miss;
	int	 cur = infd, dest = -1, last = 0, e;

	memset(r, 0, sizeof(*r));
	if (o->layers & ~CMS_LAYER_ALL)
		return errf(err, errlen, CMS_EARG, "unknown layer bits 0x%x",
		    o->layers);
	if ((e = src_init_fd(&s, infd, "file", err, errlen)) != CMS_OK)
		return e;
	for (i = 0; i < 3 && !last; i++) {
		if (o->layers != 0 && seen == o->layers)
			break;
		if ((e = src_fill(&s, 64)) != CMS_OK)
			goto fail;
		kind = cms_detect(s.p + s.pos, src_avail(&s));
		if (kind == 0) {
			if (o->layers == 0)
				break;
			miss = o->layers & ~seen;	/* outermost first */
			miss = miss & CMS_LAYER_ENVELOPED ? CMS_LAYER_ENVELOPED :
			    miss & CMS_LAYER_COMPRESSED ?
			    CMS_LAYER_COMPRESSED : CMS_LAYER_SIGNED;
			r->reason = layer_reason(miss);
			e = errf(err, errlen, CMS_ELAYER, "%s expected, but "
			    "the %s is not a CMS %s", layer_name(miss),
			    seen ? "content" : "file", seen ? "layer" :
			    "structure");
			goto fail;
		}
		if ((seen & kind) || (o->layers != 0 && !(o->layers & kind))) {
			r->reason = layer_reason(kind);
			e = errf(err, errlen, CMS_ELAYER, "%s %s", layer_name(kind),
			    seen & kind ? "found twice" : "not expected");
			goto fail;
		}
		last = o->layers != 0 && (seen | kind) == o->layers;
		dest = outfd;
		if (!last && (e = tmp_open(o->tmpdir, &dest, err, errlen)) !=
		    CMS_OK)
			goto fail;
		s.what = layer_name(kind);
		if (kind == CMS_LAYER_COMPRESSED) {
			sk.fd = dest;
			sk.b = NULL;
			sk.n = 0;
			sk.max = max;
			sk.what = s.what;
			e = compressed_parse(&s, &sk);
			nout = sk.n;
		} else
			e = unwrap_openssl(k, kind, &s, dest, o->tmpdir, &nout,
			    err, errlen);
		if (cur == infd)
			r->in_bytes = s.off;
		else
			close(cur);
		cur = -1;
		src_free(&s);
		if (e != CMS_OK) {
			if (e != CMS_EIO && e != CMS_ENOMEM && e != CMS_EARG)
				r->reason = layer_reason(kind);
			if (dest != outfd)
				close(dest);
			return e;
		}
		seen |= kind;
		r->layers = seen;
		if (last)
			break;
		cur = dest;
		if ((e = rewind_fd(cur, err, errlen)) != CMS_OK ||
		    (e = src_init_fd(&s, cur, "content", err, errlen)) !=
		    CMS_OK) {
			close(cur);
			return e;
		}
	}
	if (!last) {
		e = src_copy(&s, outfd, &nout);
		if (cur == infd)
			r->in_bytes = s.off;
		if (e != CMS_OK)
			goto fail;
		src_free(&s);
		if (cur != infd)
			close(cur);
	}
	r->out_bytes = nout;
	result_fields(r, seen, 0);
	return CMS_OK;
fail:
	src_free(&s);
	if (cur >= 0 && cur != infd)
		close(cur);
	return e;
}
