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
 *	(struct ber_stream): the few small elements around the content are
 *	copied into a "detached" DER structure in memory, the content octets
 *	stream to an unlinked temporary file, and OpenSSL gets the detached
 *	structure with the file as its detached content (CMS_verify,
 *	CMS_decrypt with dcont). Omitting the content does not change what
 *	is signed (the digest covers the content octets only) or encrypted.
 *	CompressedData is inflated straight from the stream.
 *
 *	The stream is read by ber_stream.h (the header rules of ber_read());
 *	the elements kept in memory are limited to CMS_META_MAX octets.
 *	Inside a stream parse the codes are the reader's BER_E* codes, and
 *	ours negated (a callback's, a check of ours); cms_code() turns them
 *	into CMS_E* codes where the parse returns.
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
#include "asn1/ber_stream.h"
#include "oftp/cms.h"
#include "util/afile.h"
#include "util/err.h"

#define CMS_CHUNK	65536
#define CMS_META_MAX	(1U << 20)	/* certificates, signer infos, ... */
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
	if ((*fd = afile_anon(dir)) < 0)
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

/* A stream parse's code (see the top of the file) as a CMS_E* code. */
static int
cms_code(int e)
{
	if (e < 0)
		return -e;
	switch (e) {
	case BER_OK:
		return CMS_OK;
	case BER_EIO:
		return CMS_EIO;
	case BER_ENOMEM:
		return CMS_ENOMEM;
	default:
		return CMS_EFORMAT;
	}
}

/* Malformed for CMS (well-formed BER). */
static int
src_bad(struct ber_stream *s, uint64_t off, const char *why)
{
	return ber_stream_bad(s, BER_EVALUE, off, why);
}

static int
src_oid(struct ber_stream *s, const struct ber_stlv *parent, uint8_t *oid,
    size_t *n, const char *what)
{
	struct ber_stlv t;
	int	 e;

	if ((e = ber_stream_expect(s, parent, BER_UNIV, BER_OID, 0, &t,
	    what)) != BER_OK)
		return e;
	return ber_stream_prim(s, &t, oid, CMS_OID_MAX, n);
}

static int
oid_is(const uint8_t *oid, size_t n, const uint8_t *want, size_t wn)
{
	return n == wn && memcmp(oid, want, n) == 0;
}

/* Layer detection */

unsigned
cms_detect(const void *p, size_t n)
{
	struct ber_stream s;
	struct ber_stlv ci, o;
	uint8_t	 oid[CMS_OID_MAX];
	size_t	 len;
	char	 err[8];

	ber_stream_init_mem(&s, p, n, "detect", err, sizeof(err));
	if (ber_stream_hdr(&s, NULL, &ci) != BER_OK || ci.cls != BER_UNIV ||
	    ci.tag != BER_SEQUENCE || !ci.cons)
		return 0;
	if (ber_stream_hdr(&s, &ci, &o) != BER_OK || o.cls != BER_UNIV ||
	    o.tag != BER_OID || o.cons || ber_stream_avail(&s) < o.len ||
	    ber_stream_prim(&s, &o, oid, sizeof(oid), &len) != BER_OK)
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
inflate_chunk(struct inflater *f, const uint8_t *p, size_t n)
{
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

/* A ber_stream_fn: our codes negated (see the top of the file). */
static int
inflate_octets(void *arg, const uint8_t *p, size_t n)
{
	return -inflate_chunk(arg, p, n);
}

/*
 * ContentInfo { id-ct-compressedData, [0] CompressedData { version 0,
 * compressionAlgorithm { zlib }, encapContentInfo { eContentType,
 * [0] OCTET STRING } } } from s: everything up to the OCTET STRING
 * header; t[] gets the open elements (ci, t0, cd, enc, x0, os).
 */
static int
compressed_head(struct ber_stream *s, struct ber_stlv *t)
{
	struct ber_stlv v, alg, par;
	uint8_t	 oid[CMS_OID_MAX], ver[8];
	size_t	 n;
	int	 more, e;

	if ((e = ber_stream_expect(s, NULL, BER_UNIV, BER_SEQUENCE, 1, &t[0],
	    "ContentInfo")) != BER_OK ||
	    (e = src_oid(s, &t[0], oid, &n, "contentType")) != BER_OK)
		return e;
	if (!oid_is(oid, n, oid_compressed, sizeof(oid_compressed)))
		return src_bad(s, t[0].off, "not id-ct-compressedData");
	if ((e = ber_stream_expect(s, &t[0], BER_CTX, 0, 1, &t[1],
	    "[0] content")) != BER_OK ||
	    (e = ber_stream_expect(s, &t[1], BER_UNIV, BER_SEQUENCE, 1, &t[2],
	    "CompressedData")) != BER_OK ||
	    (e = ber_stream_expect(s, &t[2], BER_UNIV, BER_INTEGER, 0, &v,
	    "version")) != BER_OK ||
	    (e = ber_stream_prim(s, &v, ver, sizeof(ver), &n)) != BER_OK)
		return e;
	if (n != 1 || ver[0] != 0)
		return src_bad(s, v.off, "version is not 0");
	if ((e = ber_stream_expect(s, &t[2], BER_UNIV, BER_SEQUENCE, 1, &alg,
	    "compressionAlgorithm")) != BER_OK ||
	    (e = src_oid(s, &alg, oid, &n, "algorithm")) != BER_OK)
		return e;
	if (!oid_is(oid, n, oid_zlib, sizeof(oid_zlib)))
		return src_bad(s, alg.off, "compression algorithm is not "
		    "zlib");
	if ((e = ber_stream_more(s, &alg, &more)) != BER_OK)
		return e;
	if (more) {			/* parameters: absent or NULL */
		if ((e = ber_stream_expect(s, &alg, BER_UNIV, BER_NULL, 0,
		    &par, "NULL parameters")) != BER_OK)
			return e;
		if (par.len != 0)
			return src_bad(s, par.off, "malformed NULL");
	}
	if ((e = ber_stream_close(s, &alg)) != BER_OK ||
	    (e = ber_stream_expect(s, &t[2], BER_UNIV, BER_SEQUENCE, 1, &t[3],
	    "encapContentInfo")) != BER_OK ||
	    (e = src_oid(s, &t[3], oid, &n, "eContentType")) != BER_OK ||
	    (e = ber_stream_expect(s, &t[3], BER_CTX, 0, 1, &t[4],
	    "[0] eContent")) != BER_OK)
		return e;
	return ber_stream_expect(s, &t[4], BER_UNIV, BER_OCTET_STRING, -1,
	    &t[5], "OCTET STRING");
}

/* The OCTET STRING os of s, inflated into out. */
static int
compressed_inflate(struct ber_stream *s, const struct ber_stlv *os,
    struct sink *out)
{
	struct inflater f;
	int	 e;

	memset(&f, 0, sizeof(f));
	f.out = out;
	f.err = s->err;
	f.errlen = s->errlen;
	if ((f.obuf = malloc(CMS_CHUNK)) == NULL)
		return -errf(s->err, s->errlen, CMS_ENOMEM, "compressed "
		    "layer: out of memory");
	if (inflateInit(&f.z) != Z_OK) {
		free(f.obuf);
		return -errf(s->err, s->errlen, CMS_ENOMEM, "compressed "
		    "layer: zlib init failed");
	}
	e = ber_stream_octets(s, os, inflate_octets, &f);
	inflateEnd(&f.z);
	free(f.obuf);
	if (e != BER_OK)
		return e;
	if (!f.done)
		return -errf(s->err, s->errlen, CMS_EDECOMP, "compressed "
		    "layer: zlib stream truncated");
	return BER_OK;
}

/* A CompressedData ContentInfo from s, inflated into out. */
static int
compressed_parse(struct ber_stream *s, struct sink *out)
{
	struct ber_stlv t[6];
	int	 e, i;

	if ((e = compressed_head(s, t)) != BER_OK ||
	    (e = compressed_inflate(s, &t[5], out)) != BER_OK)
		return cms_code(e);
	for (i = 4; i >= 0; i--)
		if ((e = ber_stream_close(s, &t[i])) != BER_OK)
			return cms_code(e);
	return cms_code(ber_stream_eof(s));
}

int
cms_decompress(int infd, int outfd, uint64_t max, uint64_t *outlen,
    char *err, size_t errlen)
{
	struct sink out = { outfd, NULL, 0, max, "compressed layer" };
	struct ber_stream s;
	int	 e;

	if ((e = ber_stream_init_fd(&s, infd, "compressed layer", err,
	    errlen)) != BER_OK)
		return cms_code(e);
	e = compressed_parse(&s, &out);
	ber_stream_free(&s);
	if (outlen != NULL)
		*outlen = out.n;
	return e;
}

int
cms_decompress_mem(const void *p, size_t n, struct buf *b, uint64_t max,
    char *err, size_t errlen)
{
	struct sink out = { -1, b, 0, max, "compressed layer" };
	struct ber_stream s;

	ber_stream_init_mem(&s, p, n, "compressed layer", err, errlen);
	return compressed_parse(&s, &out);
}

/* Deflate infd into tfd: *nin octets read, *zlen written. */
static int
deflate_fd(int infd, int tfd, uint64_t *nin, uint64_t *zlen, char *err,
    size_t errlen)
{
	z_stream z;
	uint8_t	*ibuf = NULL, *obuf = NULL;
	ssize_t	 r;
	size_t	 have;
	int	 zr, flush = Z_NO_FLUSH, e = CMS_OK, en;

	memset(&z, 0, sizeof(z));
	if ((ibuf = malloc(CMS_CHUNK)) == NULL ||
	    (obuf = malloc(CMS_CHUNK)) == NULL) {
		free(ibuf);
		return errf(err, errlen, CMS_ENOMEM, "compress: out of memory");
	}
	if (deflateInit(&z, Z_DEFAULT_COMPRESSION) != Z_OK) {
		free(ibuf);
		free(obuf);
		return errf(err, errlen, CMS_ECOMPRESS, "compress: zlib init "
		    "failed");
	}
	do {
		r = read(infd, ibuf, CMS_CHUNK);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			en = errno;
			e = errf(err, errlen, CMS_EIO, "compress: read: %s",
			    strerror(en));
			break;
		}
		*nin += (uint64_t)r;
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
				break;
			}
			have = CMS_CHUNK - z.avail_out;
			if (write_all(tfd, obuf, have) < 0) {
				en = errno;
				e = errf(err, errlen, CMS_EIO, "compress: "
				    "temporary file: %s", strerror(en));
				break;
			}
			*zlen += have;
		} while (z.avail_out == 0);
	} while (e == CMS_OK && flush != Z_FINISH);
	deflateEnd(&z);
	free(ibuf);
	free(obuf);
	return e;
}

/* The CompressedData structure around zlen deflated octets in tfd. */
static int
compressed_write(int tfd, uint64_t zlen, int outfd, uint64_t *nout,
    char *err, size_t errlen)
{
	struct berw w;
	int	 e;

	berw_init(&w);
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
	if ((e = berw_write_fd(&w, outfd)) != BER_OK)
		e = errf(err, errlen, e == BER_EIO ? CMS_EIO : CMS_ECOMPRESS,
		    "compress: writing the structure: %s%s%s", ber_strerror(e),
		    w.err_errno ? ": " : "", w.err_errno ?
		    strerror(w.err_errno) : "");
	else if (nout != NULL)
		*nout = berw_size(&w);
	berw_free(&w);
	return e;
}

/* Deflate infd into a temporary file, then write the structure. */
static int
compress_stream(int infd, int outfd, const char *tmpdir, uint64_t *nin,
    uint64_t *nout, char *err, size_t errlen)
{
	uint64_t zlen = 0, rd = 0;
	int	 tfd = -1, e;

	if ((e = tmp_open(tmpdir, &tfd, err, errlen)) != CMS_OK)
		return e;
	if ((e = deflate_fd(infd, tfd, &rd, &zlen, err, errlen)) == CMS_OK &&
	    (e = compressed_write(tfd, zlen, outfd, nout, err, errlen)) ==
	    CMS_OK && nin != NULL)
		*nin = rd;
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

/* A ber_stream_fn: our codes negated (see the top of the file). */
static int
fd_octets(void *arg, const uint8_t *p, size_t n)
{
	struct fd_out *o = arg;

	return -sink_write(&o->k, p, n, o->err, o->errlen);
}

/* Copy the element whose header is in t as it is into w. */
static int
detach_copy(struct ber_stream *s, const struct ber_stlv *t, struct buf *tmp,
    struct berw *w)
{
	int	 e;

	buf_reset(tmp);
	if ((e = ber_stream_elem(s, t, tmp, CMS_META_MAX)) != BER_OK)
		return e;
	berw_raw(w, tmp->p, tmp->len);
	return BER_OK;
}

/*
 * ContentInfo { contentType, [0] SignedData / EnvelopedData: the
 * headers up to that SEQUENCE's (t[0..2]), which are opened in w.
 */
static int
detach_open(struct ber_stream *s, unsigned kind, struct ber_stlv *t,
    struct berw *w)
{
	uint8_t	 oid[CMS_OID_MAX];
	size_t	 n;
	int	 e;

	if ((e = ber_stream_expect(s, NULL, BER_UNIV, BER_SEQUENCE, 1, &t[0],
	    "ContentInfo")) != BER_OK ||
	    (e = src_oid(s, &t[0], oid, &n, "contentType")) != BER_OK)
		return e;
	if (kind == CMS_LAYER_SIGNED ? !oid_is(oid, n, oid_signed,
	    sizeof(oid_signed)) : !oid_is(oid, n, oid_enveloped,
	    sizeof(oid_enveloped)))
		return src_bad(s, t[0].off, "wrong content type");
	if ((e = ber_stream_expect(s, &t[0], BER_CTX, 0, 1, &t[1],
	    "[0] content")) != BER_OK ||
	    (e = ber_stream_expect(s, &t[1], BER_UNIV, BER_SEQUENCE, 1, &t[2],
	    kind == CMS_LAYER_SIGNED ? "SignedData" : "EnvelopedData")) !=
	    BER_OK)
		return e;
	berw_open(w, BER_UNIV, BER_SEQUENCE);
	berw_prim(w, BER_UNIV, BER_OID, oid, n);
	berw_open(w, BER_CTX, 0);
	berw_open(w, BER_UNIV, BER_SEQUENCE);
	return BER_OK;
}

/* The content [0] of x: its octets to o. */
static int
detach_content(struct ber_stream *s, unsigned kind, const struct ber_stlv *x,
    struct fd_out *o)
{
	struct ber_stlv os;
	int	 e;

	if (kind != CMS_LAYER_SIGNED)	/* [0] IMPLICIT OCTET STRING */
		return ber_stream_octets(s, x, fd_octets, o);
	if (!x->cons)
		return src_bad(s, x->off, "[0] EXPLICIT eContent expected");
	if ((e = ber_stream_expect(s, x, BER_UNIV, BER_OCTET_STRING, -1, &os,
	    "eContent OCTET STRING")) != BER_OK ||
	    (e = ber_stream_octets(s, &os, fd_octets, o)) != BER_OK)
		return e;
	return ber_stream_close(s, x);
}

/*
 * encapContentInfo / encryptedContentInfo c: copied into w but for its
 * content [0], whose octets go to o; *content counts the contents.
 */
static int
detach_info(struct ber_stream *s, unsigned kind, const struct ber_stlv *c,
    struct buf *tmp, struct berw *w, struct fd_out *o, int *content)
{
	struct ber_stlv x;
	int	 more, e;

	berw_open(w, BER_UNIV, BER_SEQUENCE);
	for (;;) {
		if ((e = ber_stream_next(s, c, &x, &more)) != BER_OK)
			return e;
		if (!more)
			break;
		if (x.cls != BER_CTX || x.tag != 0) {
			if ((e = detach_copy(s, &x, tmp, w)) != BER_OK)
				return e;
			continue;
		}
		if ((*content)++)
			return src_bad(s, x.off, "content twice");
		if ((e = detach_content(s, kind, &x, o)) != BER_OK)
			return e;
	}
	if ((e = ber_stream_close(s, c)) != BER_OK)
		return e;
	berw_close(w);
	return BER_OK;
}

/* The members of SignedData / EnvelopedData sd, then the end of s. */
static int
detach_members(struct ber_stream *s, unsigned kind, const struct ber_stlv *t,
    struct buf *tmp, struct berw *w, struct fd_out *o)
{
	struct ber_stlv c;
	int	 more, found = 0, content = 0, e, i;

	for (;;) {
		if ((e = ber_stream_next(s, &t[2], &c, &more)) != BER_OK)
			return e;
		if (!more)
			break;
		if (found || c.cls != BER_UNIV || c.tag != BER_SEQUENCE ||
		    !c.cons)
			e = detach_copy(s, &c, tmp, w);
		else {
			found = 1;
			e = detach_info(s, kind, &c, tmp, w, o, &content);
		}
		if (e != BER_OK)
			return e;
	}
	for (i = 2; i >= 0; i--)
		if ((e = ber_stream_close(s, &t[i])) != BER_OK)
			return e;
	if ((e = ber_stream_eof(s)) != BER_OK)
		return e;
	if (!found || !content)
		return src_bad(s, t[2].off, kind == CMS_LAYER_SIGNED ?
		    "no attached content (detached signature)" :
		    "no encrypted content");
	return BER_OK;
}

static int
detach_parse(struct ber_stream *s, unsigned kind, struct buf *meta, int tfd)
{
	struct fd_out o = { { tfd, NULL, 0, 0, s->what }, s->err, s->errlen };
	struct ber_stlv t[3];
	struct berw w;
	struct buf tmp;
	int	 e;

	berw_init(&w);
	buf_init(&tmp);
	if ((e = detach_open(s, kind, t, &w)) == BER_OK &&
	    (e = detach_members(s, kind, t, &tmp, &w, &o)) == BER_OK) {
		berw_close(&w);
		berw_close(&w);
		berw_close(&w);
		if (berw_write_buf(&w, meta) != BER_OK)
			e = errf(s->err, s->errlen, BER_ENOMEM,
			    "%s: out of memory", s->what);
	}
	berw_free(&w);
	buf_free(&tmp);
	return cms_code(e);
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
unwrap_openssl(const struct cms_keys *k, unsigned kind, struct ber_stream *s,
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
src_copy(struct ber_stream *s, int outfd, uint64_t *nout)
{
	struct sink out = { outfd, NULL, 0, 0, s->what };
	const uint8_t *p;
	size_t	 got;
	int	 e;

	for (;;) {
		if ((e = ber_stream_fill(s, 1)) != BER_OK)
			return cms_code(e);
		if (ber_stream_avail(s) == 0)
			break;
		if ((e = ber_stream_take(s, ber_stream_avail(s), &p, &got)) !=
		    BER_OK)
			return cms_code(e);
		if ((e = sink_write(&out, p, got, s->err, s->errlen)) != CMS_OK)
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
	struct ber_stream cp;
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
		if ((e = ber_stream_init_fd(&cp, infd, "copy", err, errlen)) !=
		    BER_OK)
			return cms_code(e);
		e = src_copy(&cp, outfd, &nout);
		ber_stream_free(&cp);
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

/*
 * The layer that s starts with (0: none), checked against what was
 * seen so far and what o->layers expects.
 */
static int
unwrap_kind(const struct cms_opts *o, struct ber_stream *s, unsigned seen,
    unsigned *kind, struct cms_result *r, char *err, size_t errlen)
{
	unsigned miss;
	int	 e;

	if ((e = ber_stream_fill(s, 64)) != BER_OK)
		return cms_code(e);
	*kind = cms_detect(ber_stream_peek(s), ber_stream_avail(s));
	if (*kind == 0) {
		if (o->layers == 0)
			return CMS_OK;
		miss = o->layers & ~seen;	/* outermost first */
		miss = miss & CMS_LAYER_ENVELOPED ? CMS_LAYER_ENVELOPED :
		    miss & CMS_LAYER_COMPRESSED ? CMS_LAYER_COMPRESSED :
		    CMS_LAYER_SIGNED;
		r->reason = layer_reason(miss);
		return errf(err, errlen, CMS_ELAYER, "%s expected, but the %s "
		    "is not a CMS %s", layer_name(miss), seen ? "content" :
		    "file", seen ? "layer" : "structure");
	}
	if ((seen & *kind) || (o->layers != 0 && !(o->layers & *kind))) {
		r->reason = layer_reason(*kind);
		return errf(err, errlen, CMS_ELAYER, "%s %s", layer_name(*kind),
		    seen & *kind ? "found twice" : "not expected");
	}
	return CMS_OK;
}

/* Unwrap the layer `kind` from s to dest. */
static int
unwrap_layer(const struct cms_keys *k, const struct cms_opts *o,
    unsigned kind, struct ber_stream *s, int dest, uint64_t *nout, char *err,
    size_t errlen)
{
	struct sink sk;
	int	 e;

	s->what = layer_name(kind);
	if (kind != CMS_LAYER_COMPRESSED)
		return unwrap_openssl(k, kind, s, dest, o->tmpdir, nout, err,
		    errlen);
	sk.fd = dest;
	sk.b = NULL;
	sk.n = 0;
	sk.max = o->max_out ? o->max_out : CMS_MAX_OUT_DEFAULT;
	sk.what = s->what;
	e = compressed_parse(s, &sk);
	*nout = sk.n;
	return e;
}

int
cms_unwrap(const struct cms_keys *k, const struct cms_opts *o, int infd,
    int outfd, struct cms_result *r, char *err, size_t errlen)
{
	struct ber_stream s;
	uint64_t nout = 0;
	unsigned seen = 0, kind = 0, i;
	int	 cur = infd, dest = -1, last = 0, e;

	memset(r, 0, sizeof(*r));
	if (o->layers & ~CMS_LAYER_ALL)
		return errf(err, errlen, CMS_EARG, "unknown layer bits 0x%x",
		    o->layers);
	if ((e = ber_stream_init_fd(&s, infd, "file", err, errlen)) != BER_OK)
		return cms_code(e);
	for (i = 0; i < 3 && !last; i++) {
		if (o->layers != 0 && seen == o->layers)
			break;
		if ((e = unwrap_kind(o, &s, seen, &kind, r, err, errlen)) !=
		    CMS_OK)
			goto fail;
		if (kind == 0)
			break;
		last = o->layers != 0 && (seen | kind) == o->layers;
		dest = outfd;
		if (!last && (e = tmp_open(o->tmpdir, &dest, err, errlen)) !=
		    CMS_OK)
			goto fail;
		e = unwrap_layer(k, o, kind, &s, dest, &nout, err, errlen);
		if (cur == infd)
			r->in_bytes = s.off;
		else
			close(cur);
		cur = -1;
		ber_stream_free(&s);
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
		    (e = cms_code(ber_stream_init_fd(&s, cur, "content", err,
		    errlen))) != CMS_OK) {
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
		ber_stream_free(&s);
		if (cur != infd)
			close(cur);
	}
	r->out_bytes = nout;
	result_fields(r, seen, 0);
	return CMS_OK;
fail:
	ber_stream_free(&s);
	if (cur >= 0 && cur != infd)
		close(cur);
	return e;
}
