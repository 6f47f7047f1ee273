/*
 * NAME
 *	cms - OFTP2 file-level security and signed EERP / NERP (CMS)
 * SYNOPSIS
 *	#include "oftp/cms.h"
 * DESCRIPTION
 *	Cipher suites. cms_suite() gives the row of the SFIDCIPH table
 *	(RFC 5024 10.2 and the Odette list): 01/02 SHA-1, 03/04 SHA-256,
 *	05/06 SHA-512; odd codes 3DES-EDE-CBC, even codes AES-256-CBC; RSA
 *	PKCS#1 v1.5 key transport for all. cms_hash_fd() hashes a file from
 *	its current position to its end with the suite's hash (streamed),
 *	cms_hash_mem() a buffer.
 *
 *	Keys. cms_keys_load() reads our private key and certificate and the
 *	partner's certificate (PEM files; any may be NULL when the operation
 *	does not need it; an encrypted key is refused, nothing prompts).
 *	A partner is trusted by exactly its configured certificate: no chain
 *	is built or required (self-signed partner certificates are the norm).
 *
 *	Signed EERP / NERP (RFC 5024 5.3.13/14, 10). cms_sign_data() makes a
 *	CMS SignedData (eContentType id-data, content attached, hash of the
 *	suite) over octets and appends its DER to a buf; cms_verify_data()
 *	checks one against the partner certificate and that the signed
 *	content is exactly the expected octets. cms_sign_eerp() and
 *	cms_verify_eerp() do the same for the octets eerp_signed_data()
 *	gives (the hash field must be set; e->sig holds the signature).
 *
 *	File security (RFC 5024 6.2-6.4). cms_wrap() reads infd to its end
 *	and writes to outfd: sign (SignedData, attached, id-data), then
 *	compress (CompressedData, RFC 3274, zlib), then encrypt
 *	(EnvelopedData for the partner certificate, cipher of the suite),
 *	each as opts->layers says; each layer's ContentInfo is the id-data
 *	content of the next. It reports the SFID fields of the result
 *	(SFIDSEC, CIPH, COMP, ENV, FSIZ, OSIZ). V files must already carry
 *	their 2-octet record length prefixes (caller's job).
 *	cms_unwrap() undoes what it finds: it detects each layer by the OID
 *	of its ContentInfo, decrypts with our key, inflates (refusing output
 *	beyond opts->max_out: a decompression bomb guard) and verifies
 *	signatures against the partner certificate, at most one layer of
 *	each kind, until the content is not a known ContentInfo; that
 *	content goes to outfd. With opts->layers nonzero exactly those layers
 *	are expected (and the content is not inspected after the last one).
 *	Both stream in bounded memory: the data is never held whole; a layer
 *	that needs two passes (compression needs the deflated length first;
 *	verification and decryption need the structure that follows or
 *	precedes the content) keeps its data in an unlinked temporary file
 *	in opts->tmpdir. A 100 MB file needs about 100 MB of temporary disk
 *	per layer, and well under 1 MB of memory.
 *
 *	cms_compress() and cms_decompress() are the CompressedData layer on
 *	its own; cms_decompress_mem() parses one from memory into a buf.
 *	cms_detect() names the layer a buffer starts with.
 * DIAGNOSTICS
 *	Functions return CMS_OK (0) or a CMS_E* code and write one line
 *	into err naming the layer and what failed (OpenSSL's reason where it
 *	gave one); they never print or exit. cms_unwrap() also sets
 *	res->reason to the NERP reason code of a failure caused by the data:
 *	31 (signature not valid), 32 (decompression failed) or 33 (decryption
 *	failed); it is 0 for local failures (I/O, memory, keys), which are
 *	worth a retry. After a failure outfd holds garbage: discard it
 *	(in particular unverified content may have been written to it).
 */
#ifndef OX_CMS_H
#define OX_CMS_H

#include <stddef.h>
#include <stdint.h>

#include "oftp/eerp.h"
#include "util/buf.h"

#define CMS_SUITE_MIN	1
#define CMS_SUITE_MAX	6
#define CMS_HASH_MAX	64		/* octets of the longest hash */

/* Layers, as opts->layers and res->layers bits. */
#define CMS_LAYER_SIGNED	0x1
#define CMS_LAYER_COMPRESSED	0x2
#define CMS_LAYER_ENVELOPED	0x4
#define CMS_LAYER_ALL		0x7

#define CMS_MAX_OUT_DEFAULT	((uint64_t)100 << 20)

/* NERP reasons (RFC 5024 5.3.14) that cms_unwrap() reports. */
#define CMS_NERP_SIGNATURE	31
#define CMS_NERP_DECOMPRESSION	32
#define CMS_NERP_DECRYPTION	33

enum cms_err {
	CMS_OK = 0,
	CMS_EARG,	/* bad argument: unknown suite, key or certificate missing */
	CMS_EKEY,	/* a key or certificate cannot be loaded or do not match */
	CMS_EIO,	/* read, write or temporary file failed (errno in text) */
	CMS_ENOMEM,
	CMS_ESIGN,	/* making a signature failed */
	CMS_EENCRYPT,	/* encrypting failed */
	CMS_ECOMPRESS,	/* compressing failed */
	CMS_EFORMAT,	/* not a well-formed CMS layer */
	CMS_ESIG,	/* the signature does not verify */
	CMS_ESIGNER,	/* signed by another certificate than the partner's */
	CMS_ECONTENT,	/* signed content differs from the expected octets */
	CMS_EDECRYPT,	/* cannot decrypt (not for us, wrong key, corrupt) */
	CMS_EDECOMP,	/* zlib stream corrupt or truncated */
	CMS_EBOMB,	/* decompressed output above the limit */
	CMS_ELAYER,	/* layer missing, unexpected or repeated */
	CMS_NERR
};

struct cms_suite {
	unsigned	 code;		/* SFIDCIPH */
	const char	*cipher;	/* "DES-EDE3-CBC", "AES-256-CBC" */
	const char	*cipher_oid;
	const char	*hash;		/* "SHA1", "SHA256", "SHA512" */
	size_t		 hash_len;	/* 20, 32, 64 */
};

struct cms_keys;			/* opaque: OpenSSL objects */

struct cms_opts {
	unsigned	 suite;		/* SFIDCIPH 1-6; 0 if neither signing */
					/* nor encrypting (wrap only) */
	unsigned	 layers;	/* wrap: to apply; unwrap: expected, */
					/* 0 = detect */
	const char	*tmpdir;	/* for temporary files; NULL: $TMPDIR, /tmp */
	uint64_t	 max_out;	/* unwrap: inflate limit, 0 = default */
};

struct cms_result {
	unsigned	 layers;	/* applied (wrap) or found (unwrap) */
	unsigned	 sec;		/* SFIDSEC: 0 none 1 enc 2 signed 3 both */
	unsigned	 ciph;		/* SFIDCIPH (wrap; 0 after unwrap) */
	unsigned	 comp;		/* SFIDCOMP */
	unsigned	 env;		/* SFIDENV: 1 if any CMS layer */
	uint64_t	 in_bytes;	/* octets read from infd */
	uint64_t	 out_bytes;	/* octets written to outfd */
	uint64_t	 fsize;		/* wrap: SFIDFSIZ, 1 KiB blocks (up) */
	uint64_t	 osize;		/* wrap: SFIDOSIZ, 1 KiB blocks (up) */
	unsigned	 reason;	/* unwrap failure: NERP reason or 0 */
};

const struct cms_suite *cms_suite(unsigned);
int	 cms_hash_fd(unsigned, int, uint8_t *, size_t *, char *, size_t);
int	 cms_hash_mem(unsigned, const void *, size_t, uint8_t *, size_t *,
	    char *, size_t);

int	 cms_keys_load(struct cms_keys **, const char *, const char *,
	    const char *, char *, size_t);
void	 cms_keys_free(struct cms_keys *);

int	 cms_sign_data(const struct cms_keys *, unsigned, const void *, size_t,
	    struct buf *, char *, size_t);
int	 cms_verify_data(const struct cms_keys *, const void *, size_t,
	    const void *, size_t, char *, size_t);
int	 cms_sign_eerp(const struct cms_keys *, unsigned, const struct eerp *,
	    struct buf *, char *, size_t);
int	 cms_verify_eerp(const struct cms_keys *, const struct eerp *, char *,
	    size_t);

int	 cms_wrap(const struct cms_keys *, const struct cms_opts *, int, int,
	    struct cms_result *, char *, size_t);
int	 cms_unwrap(const struct cms_keys *, const struct cms_opts *, int, int,
	    struct cms_result *, char *, size_t);

int	 cms_compress(int, int, const char *, uint64_t *, char *, size_t);
int	 cms_decompress(int, int, uint64_t, uint64_t *, char *, size_t);
int	 cms_decompress_mem(const void *, size_t, struct buf *, uint64_t,
	    char *, size_t);
unsigned cms_detect(const void *, size_t);
const char *cms_strerror(int);

#endif
