# The cms module against OpenSSL's own tool: what we sign or encrypt,
# `openssl cms` verifies or decrypts; what `openssl cms` signs or
# encrypts, we unwrap; our CompressedData has RFC 3274's structure (as
# `openssl asn1parse` and `openssl cms -cmsout -print` read it; Debian's
# openssl cannot uncompress it); the full sign+compress+encrypt chain
# both ways for suites 01..06; a 20 MB file in flat memory; corrupt
# layers give NERP reasons 31/32/33; a decompression bomb is refused;
# signed EERPs both ways. Keys are made here and thrown away.
. "$(dirname "$0")/lib.sh"
T_=$OX_TOOLS/cmstool
d=$OX_TMP/cms
rm -rf "$d"
mkdir -p "$d" || exit 1
cd "$d" || exit 1

for n in us them other; do
	openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=oxgate test $n" \
	    -days 2 -keyout $n.key -out $n.crt 2>/dev/null || {
		fail keys "openssl req failed"; exit 1; }
done
US="-k us.key -c us.crt"		# our side when sending
THEM="-k them.key -c them.crt"		# the partner's side when receiving

# flip FILE OFFSET: invert one octet in place
flip() {
	_b=$(od -An -tu1 -j"$2" -N1 "$1" | tr -d ' ')
	printf "$(printf '\\%03o' $((_b ^ 255)))" |
	    dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
# md MD-NAME and cipher per suite
md_of() { case $1 in 1|2) echo sha1 ;; 3|4) echo sha256 ;; *) echo sha512 ;; esac; }
ciph_of() { case $1 in 1|3|5) echo -des3 ;; *) echo -aes256 ;; esac; }

head -c 60000 /dev/urandom | od -An -tx1 > data		# ~180 KB text
head -c 30000 /dev/urandom > bin			# binary, with CR LF etc.

# 1. we sign / encrypt, openssl opens
check sign_ours_verify_openssl sh -c "'$T_' wrap -l s -s 4 $US -p them.crt bin s.der >/dev/null &&
    openssl cms -verify -noverify -inform DER -binary -in s.der -out s.out 2>/dev/null && cmp bin s.out"
for s in 1 2; do
	check encrypt_ours_decrypt_openssl_$s sh -c "'$T_' wrap -l e -s $s -p them.crt bin e$s.der >/dev/null &&
	    openssl cms -decrypt -inform DER -binary -in e$s.der -inkey them.key -recip them.crt -out e$s.out &&
	    cmp bin e$s.out"
done
o=$(openssl cms -cmsout -print -inform DER -in e1.der 2>&1)
case $o in *des-ede3-cbc*rsaEncryption*|*rsaEncryption*des-ede3-cbc*) pass suite1_is_3des_rsa ;; *) fail suite1_is_3des_rsa "$(echo "$o" | grep -i algorithm | head -3)" ;; esac
o=$(openssl cms -cmsout -print -inform DER -in e2.der 2>&1)
case $o in *aes-256-cbc*) pass suite2_is_aes256 ;; *) fail suite2_is_aes256 "no aes-256-cbc" ;; esac
o=$(openssl cms -cmsout -print -inform DER -in s.der 2>&1)
case $o in *"eContentType: pkcs7-data"*sha256*) pass signed_is_iddata_sha256 ;; *) fail signed_is_iddata_sha256 "structure" ;; esac

# 2. openssl signs / encrypts, we unwrap
check sign_openssl_unwrap_ours sh -c "openssl cms -sign -nodetach -binary -outform DER -in bin -signer them.crt -inkey them.key -md sha512 -out os.der &&
    '$T_' unwrap -p them.crt os.der os.out >/dev/null && cmp bin os.out"
check encrypt_openssl_unwrap_ours sh -c "openssl cms -encrypt -aes256 -binary -outform DER -in bin -out oe.der us.crt &&
    '$T_' unwrap $US oe.der oe.out >/dev/null && cmp bin oe.out"
check encrypt3des_openssl_unwrap_ours sh -c "openssl cms -encrypt -des3 -binary -outform DER -in bin -out oe3.der us.crt &&
    '$T_' unwrap $US oe3.der oe3.out >/dev/null && cmp bin oe3.out"
# openssl's streamed (indefinite-length) BER output too
check sign_openssl_stream_unwrap_ours sh -c "openssl cms -sign -nodetach -binary -stream -outform DER -in data -signer them.crt -inkey them.key -out oss.der &&
    '$T_' unwrap -l s -p them.crt oss.der oss.out >/dev/null && cmp data oss.out"

# 3. CompressedData: RFC 3274 structure, round trip
"$T_" wrap -l c data c.der > c.res
p=$(openssl asn1parse -inform DER -in c.der 2>&1 | cut -c1-90)
ok=1
for want in "d=0 .*cons: SEQUENCE" "d=1 .*OBJECT *:id-smime-ct-compressedData" \
    "d=1 .*cons: cont \[ 0 \]" "d=2 .*cons: SEQUENCE" "d=3 .*INTEGER *:00" \
    "d=4 .*OBJECT *:zlib compression" "d=4 .*OBJECT *:pkcs7-data" \
    "d=4 .*cons: cont \[ 0 \]" "d=5 .*prim: OCTET STRING"; do
	printf '%s\n' "$p" | grep -q "$want" || { ok=0; fail compressed_asn1parse "missing: $want"; }
done
[ $ok = 1 ] && pass compressed_asn1parse
o=$(openssl cms -cmsout -print -inform DER -in c.der 2>&1)
case $o in *"version: 0"*"zlib compression (1.2.840.113549.1.9.16.3.8)"*"parameter: <ABSENT>"*"eContentType: pkcs7-data"*)
	pass compressed_openssl_decodes ;; *) fail compressed_openssl_decodes "$(echo "$o" | head -5 | tr '\n' '|')" ;; esac
# the eContent is a zlib (RFC 1950) stream: 78 9c
case $o in *"0000 - 78 9c"*) pass compressed_zlib_header ;; *) fail compressed_zlib_header "no 78 9c" ;; esac
check compressed_roundtrip sh -c "'$T_' unwrap c.der c.out >/dev/null && cmp data c.out"
grep -q "layers=c sec=0 ciph=0 comp=1 env=1" c.res && pass compressed_sfid_fields || fail compressed_sfid_fields "$(cat c.res)"
check detect_layers sh -c "[ \$('$T_' detect c.der) = c ] && [ \$('$T_' detect s.der) = s ] &&
    [ \$('$T_' detect e1.der) = e ] && [ \$('$T_' detect data) = - ]"

# 4. the full chain for every suite, both ways
for s in 1 2 3 4 5 6; do
	md=$(md_of $s); ci=$(ciph_of $s)
	# ours -> ours
	"$T_" wrap -l sce -s $s $US -p them.crt data ch$s.der > ch$s.res 2>ch$s.err
	grep -q "layers=sce sec=3 ciph=$s comp=1 env=1" ch$s.res && pass chain_fields_$s ||
	    fail chain_fields_$s "$(cat ch$s.res ch$s.err)"
	check chain_ours_ours_$s sh -c "'$T_' unwrap -l sce $THEM -p us.crt -t . ch$s.der ch$s.out >/dev/null && cmp data ch$s.out"
	# ours -> openssl decrypts, we inflate, openssl verifies
	check chain_ours_openssl_$s sh -c "openssl cms -decrypt -inform DER -binary -in ch$s.der -inkey them.key -recip them.crt -out ch$s.c &&
	    [ \$('$T_' detect ch$s.c) = c ] && '$T_' unwrap -l c ch$s.c ch$s.s >/dev/null &&
	    openssl cms -verify -noverify -inform DER -binary -in ch$s.s -out ch$s.o 2>/dev/null && cmp data ch$s.o &&
	    openssl cms -cmsout -print -inform DER -in ch$s.s | grep -q 'algorithm: $md'"
	# openssl signs, we compress, openssl encrypts -> we unwrap all
	check chain_openssl_ours_$s sh -c "openssl cms -sign -nodetach -binary -outform DER -md $md -in data -signer them.crt -inkey them.key -out oc$s.s &&
	    '$T_' wrap -l c oc$s.s oc$s.c >/dev/null &&
	    openssl cms -encrypt $ci -binary -outform DER -in oc$s.c -out oc$s.der us.crt &&
	    '$T_' unwrap $US -p them.crt -t . oc$s.der oc$s.out >/dev/null && cmp data oc$s.out"
done

# 5. 20 MB through the chain: memory must not grow with the file
head -c 15000000 /dev/urandom | base64 -w 76 > big
head -c 1000 big > small
rss() {		# peak resident KiB of a cmstool run (time -v, else its own)
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -v "$@" 2>&1 >/dev/null | sed -n 's/.*Maximum resident set size (kbytes): //p'
	else
		"$@" | sed -n 's/.*maxrss_kb=//p'
	fi
}
t0=$(date +%s)
r_small=$(rss "$T_" wrap -l sce -s 6 $US -p them.crt -t . small small.w)
r_wrap=$(rss "$T_" wrap -l sce -s 6 $US -p them.crt -t . big big.w)
r_unwrap=$(rss "$T_" unwrap $THEM -p us.crt -t . big.w big.out)
t1=$(date +%s)
check big_roundtrip cmp big big.out
size_kb=$(( $(wc -c < big) / 1024 ))
echo "# 20 MB chain: file ${size_kb} KiB, maxrss tiny ${r_small} wrap ${r_wrap} unwrap ${r_unwrap} KiB (ASan), $((t1 - t0)) s" >&2
if [ -n "$r_wrap" ] && [ -n "$r_unwrap" ] && lim [ $((r_wrap - r_small)) -lt 4096 ] &&
    lim [ $((r_unwrap - r_small)) -lt 4096 ]; then
	pass big_flat_memory
else
	fail big_flat_memory "maxrss small=$r_small wrap=$r_wrap unwrap=$r_unwrap KiB for a $size_kb KiB file"
fi
check big_leaves_no_tmp sh -c "[ -z \"\$(ls -A . | grep '^\.oxcms')\" ]"
rm -f big big.w big.out

# 6. corrupt layers -> NERP reasons
cp s.der bad_s.der; flip bad_s.der 600
check_fails corrupt_signed_31 31 "$T_" unwrap -p us.crt bad_s.der x
check_fails wrong_signer_31 31 "$T_" unwrap -p other.crt s.der x
o=$("$T_" unwrap -p other.crt s.der x 2>&1)
case $o in *"not the partner certificate"*) pass wrong_signer_msg ;; *) fail wrong_signer_msg "$o" ;; esac
check_fails expected_signed_missing_31 31 "$T_" unwrap -l s -p us.crt data x
cp c.der bad_c.der; flip bad_c.der $(( $(wc -c < c.der) / 2 ))
check_fails corrupt_compressed_32 32 "$T_" unwrap bad_c.der x
head -c $(( $(wc -c < c.der) - 40 )) c.der > trunc_c.der
check_fails truncated_compressed_32 32 "$T_" unwrap trunc_c.der x
# the encrypted key (the 256-octet OCTET STRING of the RecipientInfo)
ek=$(openssl asn1parse -inform DER -in e2.der | awk -F: '/l= 256 prim: OCTET STRING/ { print $1 + 0; exit }')
cp e2.der bad_e.der; flip bad_e.der $((ek + 100))
check_fails corrupt_enckey_33 33 "$T_" unwrap -k them.key -c them.crt bad_e.der x
check_fails wrong_recipient_33 33 "$T_" unwrap -k other.key -c other.crt e2.der x
head -c 2000 e2.der > trunc_e.der
check_fails truncated_enveloped_33 33 "$T_" unwrap -k them.key -c them.crt trunc_e.der x
# inside the chain: a bad signature / bad zlib under a good envelope
cp oc4.s bad_oc.s; flip bad_oc.s 700
"$T_" wrap -l c bad_oc.s bad_oc.c >/dev/null
openssl cms -encrypt -aes256 -binary -outform DER -in bad_oc.c -out bad_oc.der us.crt
check_fails chain_corrupt_signed_31 31 "$T_" unwrap $US -p them.crt bad_oc.der x
openssl cms -encrypt -aes256 -binary -outform DER -in bad_c.der -out bad_c2.der us.crt
check_fails chain_corrupt_compressed_32 32 "$T_" unwrap $US bad_c2.der x

# 7. decompression bomb: 8 MB of zeros in a few KB
head -c 8000000 /dev/zero > zeros
"$T_" wrap -l c zeros bomb.der >/dev/null
[ $(wc -c < bomb.der) -lt 20000 ] && pass bomb_is_small || fail bomb_is_small "$(wc -c < bomb.der)"
check_fails bomb_refused_32 32 "$T_" unwrap -m 1000000 bomb.der bomb.out
o=$("$T_" unwrap -m 1000000 bomb.der bomb.out 2>&1)
case $o in *"above the limit"*) pass bomb_msg ;; *) fail bomb_msg "$o" ;; esac
[ $(wc -c < bomb.out) -le 1000000 ] && pass bomb_output_bounded || fail bomb_output_bounded "$(wc -c < bomb.out)"
check bomb_under_limit sh -c "'$T_' unwrap -m 8000000 bomb.der z.out >/dev/null && cmp zeros z.out"

# 8. signed EERP both ways (RFC 5024 5.3.13: DSN DATE TIME DEST ORIG HASH signed)
printf 'E%-26s   %s%s%-8s%-25s%-25s\000\000\000\000' "INVOIC.2024" 20240229 1530450001 "" \
    "O0013ACMEGMBH" "O0177000000000X0LU000000" > e.eerp
check eerp_sign "$T_" sign-eerp -s 4 $US -f bin e.eerp e.signed e.sig e.dat
[ $(wc -c < e.dat) -eq $((94 + 32)) ] && pass eerp_signed_octets_126 || fail eerp_signed_octets_126 "$(wc -c < e.dat)"
check eerp_hash_is_sha256 sh -c "[ \"\$(tail -c 32 e.dat | od -An -tx1 | tr -d ' \n')\" = \"\$(openssl dgst -sha256 -r bin | cut -d' ' -f1)\" ]"
check eerp_openssl_verifies sh -c "openssl cms -verify -noverify -inform DER -binary -in e.sig -out e.chk 2>/dev/null && cmp e.dat e.chk"
check eerp_verify_ours "$T_" verify-eerp -p us.crt e.signed
check_fails eerp_wrong_cert 65 "$T_" verify-eerp -p other.crt e.signed
check eerp_openssl_signed sh -c "openssl cms -sign -nodetach -binary -outform DER -md sha1 -in e.dat -signer them.crt -inkey them.key -out o.sig &&
    '$T_' verify-data -p them.crt o.sig e.dat"
cp e.dat e.tampered; flip e.tampered 3
o=$("$T_" verify-data -p them.crt o.sig e.tampered 2>&1)
case $o in *"not the expected"*) pass eerp_content_mismatch ;; *) fail eerp_content_mismatch "$o" ;; esac
cp o.sig o.bad; flip o.bad $(( $(wc -c < o.sig) - 5 ))
o=$("$T_" verify-data -p them.crt o.bad e.dat 2>&1)
case $o in *"signature not valid"*) pass eerp_bad_signature ;; *) fail eerp_bad_signature "$o" ;; esac
openssl cms -sign -binary -outform DER -in e.dat -signer them.crt -inkey them.key -out o.det
o=$("$T_" verify-data -p them.crt o.det e.dat 2>&1)
case $o in *"not attached"*) pass eerp_detached_refused ;; *) fail eerp_detached_refused "$o" ;; esac
cd / && rm -rf "$d"
