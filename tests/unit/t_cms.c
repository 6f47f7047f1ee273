/*
 * NAME
 *	t_cms - tests of the cms module: suites, signed EERP / NERP,
 *	CompressedData, argument checks
 * DESCRIPTION
 *	Two throwaway RSA-2048 keys with self-signed certificates are made
 *	here (as a partner would have them) and written as PEM files into
 *	the test's temporary directory. Interoperability with the openssl
 *	tool is tests/sh/cms_openssl.sh's job.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "test.h"
#include "oftp/cms.h"
#include "oftp/eerp.h"
#include "util/afile.h"

static char keydir[4096];

/* A key and a self-signed certificate as NAME.key / NAME.crt. */
static int
make_identity(const char *dir, const char *name, long serial)
{
	EVP_PKEY *k;
	X509	*x;
	X509_NAME *n;
	FILE	*f;
	char	 path[4200];
	int	 ok = 0;

	if ((k = EVP_RSA_gen(2048)) == NULL || (x = X509_new()) == NULL)
		return 0;
	n = X509_get_subject_name(x);
	if (X509_set_version(x, 2) &&
	    ASN1_INTEGER_set(X509_get_serialNumber(x), serial) &&
	    X509_gmtime_adj(X509_getm_notBefore(x), 0) &&
	    X509_gmtime_adj(X509_getm_notAfter(x), 86400) &&
	    X509_set_pubkey(x, k) &&
	    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
	    (const unsigned char *)name, -1, -1, 0) &&
	    X509_set_issuer_name(x, n) && X509_sign(x, k, EVP_sha256()) > 0)
		ok = 1;
	snprintf(path, sizeof(path), "%s/%s.key", dir, name);
	if (ok && ((f = fopen(path, "w")) == NULL ||
	    !PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL) ||
	    fclose(f) != 0))
		ok = 0;
	snprintf(path, sizeof(path), "%s/%s.crt", dir, name);
	if (ok && ((f = fopen(path, "w")) == NULL || !PEM_write_X509(f, x) ||
	    fclose(f) != 0))
		ok = 0;
	X509_free(x);
	EVP_PKEY_free(k);
	return ok;
}

/* Keys: ours (key, cert) and a partner certificate, by name. */
static struct cms_keys *
keys(const char *key, const char *cert, const char *partner)
{
	struct cms_keys *k = NULL;
	char	 a[4200], b[4200], c[4200], err[512];

	snprintf(a, sizeof(a), "%s/%s.key", keydir, key ? key : "");
	snprintf(b, sizeof(b), "%s/%s.crt", keydir, cert ? cert : "");
	snprintf(c, sizeof(c), "%s/%s.crt", keydir, partner ? partner : "");
	if (cms_keys_load(&k, key ? a : NULL, cert ? b : NULL,
	    partner ? c : NULL, err, sizeof(err)) != CMS_OK) {
		test_fail(__FILE__, __LINE__, "keys: %s", err);
		return NULL;
	}
	return k;
}

static void
t_setup(void)
{
	snprintf(keydir, sizeof(keydir), "%s", test_dir());
	CHECK(make_identity(keydir, "us", 1));
	CHECK(make_identity(keydir, "other", 2));
}

static void
t_suites(void)
{
	static const size_t hl[] = { 20, 20, 32, 32, 64, 64 };
	const struct cms_suite *s;
	uint8_t	 md[CMS_HASH_MAX], md2[CMS_HASH_MAX];
	size_t	 n, n2;
	unsigned i;
	char	 err[256], path[4200];
	int	 fd;

	CHECK(cms_suite(0) == NULL);
	CHECK(cms_suite(7) == NULL);
	for (i = 1; i <= 6; i++) {
		s = cms_suite(i);
		CHECK(s != NULL && s->code == i && s->hash_len == hl[i - 1]);
		CHECK(s != NULL && strcmp(s->cipher, i % 2 ? "DES-EDE3-CBC" :
		    "AES-256-CBC") == 0);
	}
	/* FIPS 180 "abc" vectors, first octets */
	CHECK_EQ_INT(cms_hash_mem(1, "abc", 3, md, &n, err, sizeof(err)),
	    CMS_OK);
	CHECK(n == 20 && md[0] == 0xa9 && md[1] == 0x99 && md[19] == 0x9d);
	CHECK_EQ_INT(cms_hash_mem(4, "abc", 3, md, &n, err, sizeof(err)),
	    CMS_OK);
	CHECK(n == 32 && md[0] == 0xba && md[1] == 0x78 && md[31] == 0xad);
	CHECK_EQ_INT(cms_hash_mem(6, "abc", 3, md, &n, err, sizeof(err)),
	    CMS_OK);
	CHECK(n == 64 && md[0] == 0xdd && md[63] == 0x9f);
	CHECK_EQ_INT(cms_hash_mem(9, "abc", 3, md, &n, err, sizeof(err)),
	    CMS_EARG);
	/* the fd form streams the same */
	snprintf(path, sizeof(path), "%s/abc", test_dir());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0 && write_all(fd, "abc", 3) == 0 &&
	    lseek(fd, 0, SEEK_SET) == 0);
	CHECK_EQ_INT(cms_hash_fd(6, fd, md2, &n2, err, sizeof(err)), CMS_OK);
	CHECK_EQ_MEM(md2, n2, md, n);
	close(fd);
}

static void
fill(struct eerp *e, char cmd, const uint8_t *hash, size_t hlen)
{
	eerp_init(e, cmd, EERP_OFTP2);
	strcpy(e->dsn, "INVOIC.2024");
	strcpy(e->date, "20240229");
	strcpy(e->time, "1530450001");
	strcpy(e->dest, "O0013ACMEGMBH");
	strcpy(e->orig, "O0177000000000X0LU000000");
	if (cmd == 'N') {
		strcpy(e->crea, "O0177000000000X0LU123456");
		e->reason = 31;
	}
	e->hash = hash;
	e->hash_len = hlen;
}

static void
t_eerp_sign_verify(void)
{
	struct cms_keys *k = keys("us", "us", "us");
	struct eerp e, p;
	struct buf sig, cmd;
	struct cur c;
	uint8_t	 h[CMS_HASH_MAX];
	size_t	 hl;
	char	 err[512];

	if (k == NULL)
		return;
	buf_init(&sig);
	buf_init(&cmd);
	CHECK_EQ_INT(cms_hash_mem(4, "payload", 7, h, &hl, err, sizeof(err)),
	    CMS_OK);
	fill(&e, 'E', h, hl);
	CHECK_EQ_INT(cms_sign_eerp(k, 4, &e, &sig, err, sizeof(err)), CMS_OK);
	CHECK(sig.len > 500 && sig.p[0] == 0x30);
	e.sig = sig.p;
	e.sig_len = sig.len;
	CHECK_EQ_INT(cms_verify_eerp(k, &e, err, sizeof(err)), CMS_OK);
	/* through the command octets and back */
	CHECK_EQ_INT(eerp_build(&e, &cmd, err, sizeof(err)), EERP_OK);
	cur_init(&c, cmd.p, cmd.len);
	CHECK_EQ_INT(eerp_parse(&p, &c, EERP_OFTP2, err, sizeof(err)),
	    EERP_OK);
	CHECK_EQ_INT(cms_verify_eerp(k, &p, err, sizeof(err)), CMS_OK);
	/* the same for a NERP, suite 01 (SHA-1) */
	buf_reset(&sig);
	CHECK_EQ_INT(cms_hash_mem(1, "payload", 7, h, &hl, err, sizeof(err)),
	    CMS_OK);
	fill(&e, 'N', h, hl);
	CHECK_EQ_INT(cms_sign_eerp(k, 1, &e, &sig, err, sizeof(err)), CMS_OK);
	e.sig = sig.p;
	e.sig_len = sig.len;
	CHECK_EQ_INT(cms_verify_eerp(k, &e, err, sizeof(err)), CMS_OK);
	/* unsigned or without a hash */
	e.sig = NULL;
	e.sig_len = 0;
	CHECK_EQ_INT(cms_verify_eerp(k, &e, err, sizeof(err)), CMS_EFORMAT);
	fill(&e, 'E', NULL, 0);
	CHECK_EQ_INT(cms_sign_eerp(k, 4, &e, &sig, err, sizeof(err)),
	    CMS_EARG);
	buf_free(&sig);
	buf_free(&cmd);
	cms_keys_free(k);
}

static void
t_eerp_tampered(void)
{
	struct cms_keys *k = keys("us", "us", "us");
	struct eerp e;
	struct buf sig;
	uint8_t	 h[CMS_HASH_MAX], *bad;
	size_t	 hl;
	char	 err[512];

	if (k == NULL)
		return;
	buf_init(&sig);
	CHECK_EQ_INT(cms_hash_mem(6, "payload", 7, h, &hl, err, sizeof(err)),
	    CMS_OK);
	fill(&e, 'E', h, hl);
	CHECK_EQ_INT(cms_sign_eerp(k, 6, &e, &sig, err, sizeof(err)), CMS_OK);
	e.sig = sig.p;
	e.sig_len = sig.len;
	/* another DSN: the signature is good, the content is not this EERP */
	strcpy(e.dsn, "INVOIC.2025");
	CHECK_EQ_INT(cms_verify_eerp(k, &e, err, sizeof(err)), CMS_ECONTENT);
	CHECK(strstr(err, "not the expected") != NULL);
	strcpy(e.dsn, "INVOIC.2024");
	/* another hash */
	h[0] ^= 1;
	CHECK_EQ_INT(cms_verify_eerp(k, &e, err, sizeof(err)), CMS_ECONTENT);
	h[0] ^= 1;
	CHECK_EQ_INT(cms_verify_eerp(k, &e, err, sizeof(err)), CMS_OK);
	/* the signature value itself (the last octets of the DER) */
	bad = malloc(sig.len);
	CHECK(bad != NULL);
	if (bad != NULL) {
		memcpy(bad, sig.p, sig.len);
		bad[sig.len - 3] ^= 0x40;
		e.sig = bad;
		CHECK_EQ_INT(cms_verify_eerp(k, &e, err, sizeof(err)),
		    CMS_ESIG);
		CHECK(strstr(err, "signature not valid") != NULL);
		/* garbage */
		memset(bad, 0x30, sig.len);
		CHECK_EQ_INT(cms_verify_eerp(k, &e, err, sizeof(err)),
		    CMS_EFORMAT);
		free(bad);
	}
	buf_free(&sig);
	cms_keys_free(k);
}

static void
t_eerp_wrong_cert(void)
{
	struct cms_keys *us = keys("us", "us", NULL);
	struct cms_keys *wrong = keys(NULL, NULL, "other");
	struct eerp e;
	struct buf sig;
	uint8_t	 h[32] = { 1, 2, 3 };
	char	 err[512];

	if (us == NULL || wrong == NULL)
		goto done;
	buf_init(&sig);
	fill(&e, 'E', h, sizeof(h));
	CHECK_EQ_INT(cms_sign_eerp(us, 3, &e, &sig, err, sizeof(err)), CMS_OK);
	e.sig = sig.p;
	e.sig_len = sig.len;
	CHECK_EQ_INT(cms_verify_eerp(wrong, &e, err, sizeof(err)),
	    CMS_ESIGNER);
	CHECK(strstr(err, "CN=us") != NULL && strstr(err, "CN=other") != NULL);
	/* no partner certificate configured at all */
	CHECK_EQ_INT(cms_verify_eerp(us, &e, err, sizeof(err)), CMS_EARG);
	buf_free(&sig);
done:
	cms_keys_free(us);
	cms_keys_free(wrong);
}

static void
t_keys(void)
{
	struct cms_keys *k;
	char	 err[512], a[4200], b[4200];

	snprintf(a, sizeof(a), "%s/us.key", keydir);
	snprintf(b, sizeof(b), "%s/other.crt", keydir);
	CHECK_EQ_INT(cms_keys_load(&k, a, b, NULL, err, sizeof(err)),
	    CMS_EKEY);
	CHECK(k == NULL && strstr(err, "does not match") != NULL);
	CHECK_EQ_INT(cms_keys_load(&k, "/nonexistent/k.pem", NULL, NULL, err,
	    sizeof(err)), CMS_EKEY);
	CHECK(strstr(err, "/nonexistent/k.pem") != NULL);
	CHECK_EQ_INT(cms_keys_load(&k, NULL, a, NULL, err, sizeof(err)),
	    CMS_EKEY);			/* a key is not a certificate */
	CHECK_EQ_INT(cms_keys_load(&k, NULL, NULL, NULL, err, sizeof(err)),
	    CMS_OK);
	cms_keys_free(k);
}

static int
tmpfile_with(const char *name, const void *p, size_t n)
{
	char	 path[4200];
	int	 fd;

	snprintf(path, sizeof(path), "%s/%s", test_dir(), name);
	if ((fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600)) < 0)
		return -1;
	if (write_all(fd, p, n) < 0 || lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void
t_compressed(void)
{
	struct buf in, comp, out;
	uint64_t n;
	char	 err[512];
	size_t	 i;
	int	 ifd, ofd;

	buf_init(&in);
	buf_init(&comp);
	buf_init(&out);
	for (i = 0; i < 200000; i++)
		buf_add_u8(&in, (uint8_t)(i % 251 < 100 ? 'A' : i * 7));
	ifd = tmpfile_with("plain", in.p, in.len);
	ofd = tmpfile_with("comp", "", 0);
	CHECK(ifd >= 0 && ofd >= 0);
	CHECK_EQ_INT(cms_compress(ifd, ofd, test_dir(), &n, err, sizeof(err)),
	    CMS_OK);
	CHECK(n > 0 && n < in.len);
	CHECK(lseek(ofd, 0, SEEK_SET) == 0);
	buf_reserve(&comp, n);
	CHECK(read(ofd, comp.p, n) == (ssize_t)n);
	comp.len = n;
	CHECK_EQ_INT(cms_detect(comp.p, comp.len), CMS_LAYER_COMPRESSED);
	CHECK_EQ_INT(cms_decompress_mem(comp.p, comp.len, &out, 0, err,
	    sizeof(err)), CMS_OK);
	CHECK_EQ_MEM(out.p, out.len, in.p, in.len);
	/* the limit: exactly enough, one octet short */
	buf_reset(&out);
	CHECK_EQ_INT(cms_decompress_mem(comp.p, comp.len, &out, in.len, err,
	    sizeof(err)), CMS_OK);
	buf_reset(&out);
	CHECK_EQ_INT(cms_decompress_mem(comp.p, comp.len, &out, in.len - 1,
	    err, sizeof(err)), CMS_EBOMB);
	CHECK(out.len <= in.len - 1);
	/* truncated anywhere: an error, never a crash */
	for (i = 0; i < comp.len; i += comp.len / 97 + 1) {
		buf_reset(&out);
		CHECK(cms_decompress_mem(comp.p, i, &out, 0, err,
		    sizeof(err)) != CMS_OK);
	}
	/* one trailing octet */
	buf_add_u8(&comp, 0);
	buf_reset(&out);
	CHECK_EQ_INT(cms_decompress_mem(comp.p, comp.len, &out, 0, err,
	    sizeof(err)), CMS_EFORMAT);
	CHECK(strstr(err, "after the end") != NULL);
	CHECK_EQ_INT(cms_detect("plain text", 10), 0);
	close(ifd);
	close(ofd);
	buf_free(&in);
	buf_free(&comp);
	buf_free(&out);
}

static void
t_wrap_args(void)
{
	struct cms_keys *k = keys(NULL, NULL, "other");
	struct cms_opts o;
	struct cms_result r;
	char	 err[512];
	uint8_t	 back[64];
	int	 ifd, ofd;

	ifd = tmpfile_with("in", "hello", 5);
	ofd = tmpfile_with("out", "", 0);
	memset(&o, 0, sizeof(o));
	o.tmpdir = test_dir();
	o.layers = CMS_LAYER_SIGNED;
	o.suite = 4;
	CHECK_EQ_INT(cms_wrap(k, &o, ifd, ofd, &r, err, sizeof(err)),
	    CMS_EARG);			/* no key of ours */
	o.layers = CMS_LAYER_ENVELOPED;
	o.suite = 7;
	CHECK_EQ_INT(cms_wrap(k, &o, ifd, ofd, &r, err, sizeof(err)),
	    CMS_EARG);
	/* no layer at all: a copy, SFID fields all zero */
	o.layers = 0;
	CHECK_EQ_INT(cms_wrap(k, &o, ifd, ofd, &r, err, sizeof(err)), CMS_OK);
	CHECK(r.sec == 0 && r.ciph == 0 && r.comp == 0 && r.env == 0 &&
	    r.out_bytes == 5 && r.fsize == 1 && r.osize == 1);
	/* unwrap of plain data is a copy, layers 0; expecting one fails */
	CHECK(lseek(ofd, 0, SEEK_SET) == 0 && ftruncate(ofd, 0) == 0 &&
	    lseek(ifd, 0, SEEK_SET) == 0);
	CHECK_EQ_INT(cms_unwrap(k, &o, ifd, ofd, &r, err, sizeof(err)),
	    CMS_OK);
	CHECK(r.layers == 0 && r.out_bytes == 5 && r.reason == 0);
	CHECK(pread(ofd, back, sizeof(back), 0) == 5 &&
	    memcmp(back, "hello", 5) == 0);
	CHECK(lseek(ifd, 0, SEEK_SET) == 0);
	o.layers = CMS_LAYER_ENVELOPED | CMS_LAYER_SIGNED;
	CHECK_EQ_INT(cms_unwrap(k, &o, ifd, ofd, &r, err, sizeof(err)),
	    CMS_ELAYER);
	CHECK_EQ_INT(r.reason, CMS_NERP_DECRYPTION);
	close(ifd);
	close(ofd);
	cms_keys_free(k);
}

int
main(void)
{
	TEST(t_setup);
	TEST(t_suites);
	TEST(t_keys);
	TEST(t_eerp_sign_verify);
	TEST(t_eerp_tampered);
	TEST(t_eerp_wrong_cert);
	TEST(t_compressed);
	TEST(t_wrap_args);
	return test_done();
}
