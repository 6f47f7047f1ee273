#!/usr/bin/env python3
# gen.py - the recipes of the hostile inputs in tests/hostile (README).
#
#   gen.py small TPL OUT   write the committed (small) files into OUT, made
#                          from the generators' outputs in TPL: TPL/g1
#                          (p1gen), TPL/g2 (p22gen), TPL/edim.p35 (the
#                          shared fixture) and, made by rptgen (see
#                          tpl.sh), TPL/dr.p1, ndr.p1, nrn.p1, edin.p1,
#                          eerp.eerp, nerp.nerp. Run once by hand; the files
#                          are committed, so the tests do not depend on it.
#   gen.py big DIR OUT     write the large inputs into OUT at test time,
#                          DIR being tests/hostile (its small files give
#                          the envelopes).
import base64
import os
import sys
import zlib


# ---- BER: a tree of [tag-octets, constructed, value-octets | children]
def hdr(tag, n):
    if isinstance(tag, int):
        tag = bytes([tag])
    if n < 128:
        return tag + bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, 'big')
    return tag + bytes([0x80 | len(b)]) + b


def tlv(tag, v):
    return hdr(tag, len(v)) + v


def parse(d, i=0, end=None):
    end = len(d) if end is None else end
    out = []
    while i < end:
        t0 = i
        i += 1
        if d[t0] & 0x1f == 0x1f:
            while d[i] & 0x80:
                i += 1
            i += 1
        tag = d[t0:i]
        n = d[i]
        i += 1
        if n & 0x80:
            k = n & 0x7f
            n = int.from_bytes(d[i:i + k], 'big')
            i += k
        cons = bool(tag[0] & 0x20)
        out.append([tag, cons, parse(d, i, i + n) if cons else d[i:i + n]])
        i += n
    return out


def enc(nodes):
    if isinstance(nodes[0], bytes):     # one node
        nodes = [nodes]
    r = b''
    for tag, cons, v in nodes:
        r += tlv(tag, enc(v) if cons and v else (b'' if cons else v))
    return r


def walk(nodes, pred, path=()):
    for nd in nodes:
        if pred(nd):
            yield nd
        if nd[1]:
            yield from walk(nd[2], pred, path + (nd[0],))


def first(nodes, pred):
    return next(walk(nodes, pred))


def prim(value):
    return lambda nd: not nd[1] and nd[2] == value


def tagged(tag):
    return lambda nd: nd[0] == tag


def rd(p):
    return open(p, 'rb').read()


def wr(out, name, data):
    with open(os.path.join(out, name), 'wb') as f:
        f.write(data)


# ---- a P1 message: the envelope of a template around a content
def envelope(p1, ctype=None):
    t = parse(p1)
    env = t[0][2][0]
    if ctype is not None:
        first([env], tagged(b'\x46'))[2] = bytes([ctype])
    return env


def message(env, content, local=None):
    if local is not None:               # an MTS identifier of its own
        env = parse(enc(env))[0]
        mtsid = first([env], tagged(b'\x64'))   # [APPLICATION 4]
        next(c for c in mtsid[2] if c[0] == b'\x16')[2] = local.encode()
    return tlv(0xa0, enc(env) + tlv(0x04, content))


def sfid(dsn, extra='', orig='O0013MIME', user='000060'):
    return ('[sfid]\ndsn = %s\ndate = 20261122\ntime = 1000000001\n'
            'dest = O0177000000000X0LU%s\norig = %s\nformat = U\n'
            % (dsn, user, orig)).encode() + \
        (extra if isinstance(extra, bytes) else extra.encode())


def mime(ct, body, extra=''):
    return ('MIME-Version: 1.0\r\nContent-Type: %s\r\n%s\r\n'
            % (ct, extra)).encode() + body


def small(tpl, out):
    g1 = os.path.join(tpl, 'g1')
    g2 = os.path.join(tpl, 'g2')
    msg = rd(os.path.join(g2, 'gen_msg.p1'))
    env22 = envelope(msg)
    env2 = envelope(msg, 2)
    env35 = envelope(msg, 35)

    # --- OFTP virtual files (oftp2x400); the payload is "hello" unless a
    # .payload of the same name is there
    wr(out, 'sfid-dsn-path-traversal.sfid',
       sfid('../../../TMP/OXEVIL', orig='O0013ACMEGMBH', user='000042'))
    wr(out, 'sfid-dsn-overlong.sfid', sfid('A' * 300))
    wr(out, 'sfid-fsize-lies.sfid',
       sfid('FSIZE', 'fsize = 9999999999999\nosize = 9999999999999\n',
            orig='O0013ACMEGMBH', user='000042'))
    wr(out, 'sfid-binary-garbage.sfid',
       bytes((i * 37 + 11) & 0xff for i in range(512)))
    wr(out, 'sfid-desc-bad-utf8.sfid',
       sfid('BADUTF8', b'desc = "over\xc0\xaflong \xed\xa0\x80 surrogate"\n'))
    s = sfid('DUPKEY', orig='O0013ACMEGMBH', user='000042') + \
        b'dsn = OTHER\nformat = V\n[sfid]\nlrecl = 5\n'
    wr(out, 'sfid-duplicate-keys.sfid', s)
    wr(out, 'sfid-empty.sfid', b'')
    wr(out, 'sfid-format-F-lrecl-mismatch.sfid',
       sfid('FLRECL', orig='O0013ACMEGMBH', user='000042')
       .replace(b'format = U', b'format = F\nlrecl = 99999'))
    wr(out, 'sfid-format-F-lrecl-mismatch.payload', b'12345')

    # --- MIME payloads (the partnership with mime = header)
    parts = b''
    for k in range(5):
        parts += b'--o\r\nContent-Type: multipart/mixed; boundary="i%d"\r\n\r\n' % k
        for j in range(10 + (k == 4)):
            parts += b'--i%d\r\nContent-Type: text/plain\r\n\r\npart %d.%d\r\n' % (k, k, j)
        parts += b'--i%d--\r\n' % k
    wr(out, 'mime-51-parts-nested.payload',
       mime('multipart/mixed; boundary="o"', parts + b'--o--\r\n'))
    wr(out, 'mime-filename-rfc2231-slash.payload',
       mime('application/octet-stream', b'AAECAwQF\r\n',
            'Content-Transfer-Encoding: base64\r\n'
            "Content-Disposition: attachment; filename*=UTF-8''%2Fetc%2F..%2F..%2Fpasswd\r\n"))
    wr(out, 'mime-filename-dotdot.payload',
       mime('application/octet-stream; name=".."', b'AAECAwQF\r\n',
            'Content-Transfer-Encoding: base64\r\n'
            'Content-Disposition: attachment; filename=".."\r\n'))
    wr(out, 'mime-charset-hostile.payload',
       mime('text/plain; charset="../../../x-\x1b[31m"', b'gr\xfc\xdf\xff\x00e\r\n'))
    wr(out, 'mime-qp-broken.payload',
       mime('text/plain; charset=iso-8859-1', b'a=ZZ b=\x00 c=4 d==3D=\r\n=',
            'Content-Transfer-Encoding: quoted-printable\r\n'))
    wr(out, 'mime-base64-garbage.payload',
       mime('application/octet-stream', b'QUJD====\r\n*\x00\xff==QUJD\r\n' + b'=' * 2000,
            'Content-Transfer-Encoding: base64\r\n'))
    wr(out, 'mime-boundary-never-closed.payload',
       mime('multipart/mixed; boundary=""', b'--\r\n--\r\n--\r\n' * 100))
    wr(out, 'mime-filename-overlong.payload',
       mime('application/octet-stream', b'AAECAwQF\r\n',
            'Content-Transfer-Encoding: base64\r\n'
            'Content-Disposition: attachment; filename="' + 'a' * 1000 + '"\r\n'))
    wr(out, 'mime-smime-garbage.payload',
       mime('application/pkcs7-mime; smime-type=enveloped-data', b'MIIBAAAA\r\n',
            'Content-Transfer-Encoding: base64\r\n'))
    wr(out, 'mime-signed-bad-signature.payload',
       mime('multipart/signed; protocol="application/pkcs7-signature"; boundary=b',
            b'--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b\r\n'
            b'Content-Type: application/pkcs7-signature\r\n'
            b'Content-Transfer-Encoding: base64\r\n\r\nMIIB////\r\n--b--\r\n'))
    # --- CMS (OFTP2 security layers)
    z = zlib.compress(b'x' * 100000)[:60]
    oid = bytes.fromhex('060b2a864886f70d0109100109')  # id-ct-compressedData
    alg = tlv(0x30, bytes.fromhex('060b2a864886f70d0109100308'))  # zlib
    data = tlv(0x30, bytes.fromhex('06092a864886f70d010701') +
               tlv(0xa0, tlv(0x04, z)))
    cd = tlv(0x30, b'\x02\x01\x00' + alg + data)
    wr(out, 'cms-compressed-truncated.payload', tlv(0x30, oid + tlv(0xa0, cd)))

    # --- P1 messages (x4002oftp)
    ftbp = parse(rd(os.path.join(g2, 'gen_ftbp.p22')))
    first(ftbp, prim(b'report.bin'))[2] = b'..'
    ext = first(ftbp, lambda nd: nd[0] == b'\x81' and len(nd[2]) == 4096)
    ext[2] = b'secret data\r\n'
    first(ftbp, tagged(b'\xad'))[2][0][2] = b'\x0d'
    p = first(ftbp, tagged(b'\xb7'))     # [23] pathname
    p[2].append([b'\x19', False, b'../../../etc/passwd'])
    ftbp[0][2][1][2] = ftbp[0][2][1][2] * 2  # two body parts: a MIME header
    wr(out, 'p22-ftbp-pathname-dotdot.p1', message(env22, enc(ftbp), 'h-ftbp-dotdot'))

    ia5 = parse(rd(os.path.join(g2, 'gen_ia5.p22')))
    subj = first(ia5, tagged(b'\xa8'))
    subj[2][0][2] = b'x\r\nBcc: evil@example.com\r\n\r\n<html>../../etc/passwd\x1b[2J'
    ia5[0][2][1][2] = ia5[0][2][1][2] * 2    # two body parts: a MIME header
    wr(out, 'p22-subject-crlf-injection.p1', message(env22, enc(ia5), 'h-subject-crlf'))
    q = parse(rd(os.path.join(g2, 'gen_ia5.p22')))
    first(q, tagged(b'\xa8'))[2][0][2] = b'Bob\'s "big" order'
    wr(out, 'p22-subject-both-quotes.p1', message(env22, enc(q), 'h-quotes'))
    t61 = parse(rd(os.path.join(g2, 'gen_ia5.p22')))
    first(t61, tagged(b'\xa8'))[2][0][2] = b'\xc1\xc8\xc8A\xa4\xcb\xcb\xc1'
    wr(out, 'p22-t61-bad-sequences.p1', message(env22, enc(t61), 'h-t61'))
    bp = parse(rd(os.path.join(g2, 'gen_ia5.p22')))
    body = bp[0][2][1]                   # IPM: heading SET, body SEQUENCE
    one = [b'\xa0', True, [[b'\x31', True, [[b'\x16', False, b'']]]]]
    body[2] = [one] * 1000
    wr(out, 'p22-body-parts-1000.p1', message(env22, enc(bp), 'h-bp-1000'))
    wr(out, 'p2-content-garbage.p1', message(env2, bytes(
        (i * 73 + 5) & 0xff for i in range(300)), 'h-p2-garbage'))

    # a content OCTET STRING whose length says 4 GiB, in a 400-octet file
    m = message(env22, b'')
    e = enc(env22)
    short = b'\x04\x84\xff\xff\xff\xff' + b'A' * 20
    wr(out, 'p1-length-4GB-short-file.p1', tlv(0xa0, e + short))
    # a length of 15 length octets; the reserved length octet 0xff
    wr(out, 'p1-length-of-length-15.p1', tlv(0xa0, e + b'\x04\x8f' + b'\x00' * 14 + b'\x05hello'))
    wr(out, 'p1-length-octet-reserved.p1', tlv(0xa0, e + b'\x04\xffhello'))
    # a tag number of 20 octets inside the envelope
    big = [b'\xbf' + b'\xff' * 19 + b'\x7f', True, [[b'\x05', False, b'']]]
    e2 = parse(enc(env22))[0]
    e2[2].insert(2, big)
    wr(out, 'p1-tag-number-overflow.p1', message(e2, b'x', 'h-tag'))
    # content-type INTEGER of 20 octets, priority of 9
    e3 = parse(enc(env22))[0]
    first([e3], tagged(b'\x46'))[2] = b'\x7f' + b'\xff' * 19
    wr(out, 'p1-integer-overflow.p1', message(e3, rd(os.path.join(g1, 'content.p22')), 'h-integer'))
    # a recipient O/R name with a 5000-octet surname and 200 OUs
    e4 = parse(enc(env22))[0]
    sn = first([e4], prim(b'Receiver'))
    sn[2] = b'R' * 5000
    ors = first([e4], lambda nd: nd[0] == b'\x30' and any(c[0] == b'\x83' for c in nd[2] if nd[1]))
    ors[2].append([b'\xa6', True, [[b'\x13', False, b'OU%d' % i] for i in range(200)]])
    wr(out, 'p1-orname-overlong.p1', message(e4, rd(os.path.join(g1, 'content.p22')), 'h-orname'))

    # P35: an EDIM whose heading INTEGERs (the recipient's numbers) are huge
    edim = parse(rd(os.path.join(tpl, 'edim.p35')))
    for nd in walk(edim, lambda nd: nd[0] == b'\x80' and not nd[1] and len(nd[2]) == 1):
        nd[2] = b'\x7f' + b'\xff' * 40
    wr(out, 'p35-edim-huge-count.p1', message(env35, enc(edim), 'h-edim'))

    # --- reports, IPNs, EDINs (report2eerp); subject: hostile-rpt
    dr = parse(rd(os.path.join(tpl, 'ndr.p1')))
    for nd in walk(dr, lambda nd: nd[0] == b'\xa1' and nd[1] and
                   len(nd[2]) == 2 and nd[2][0][0] == b'\x80'):
        nd[2][0][2] = b'\x00\xff\xff\xff\xff\xff'
        nd[2][1][2] = b'\xff\xff\xff\xff\xff\xff\xff\xff\xff'
    wr(out, 'rpt-ndr-codes-huge.p1', enc(dr))
    dr = parse(rd(os.path.join(tpl, 'ndr.p1')))
    first(dr, lambda nd: nd[0] == b'\x81' and nd[2] == b'\x01')[2] = b'\x7f\xff\xff\xff\xff'
    wr(out, 'rpt-osrn-bogus.p1', enc(dr))
    dr = parse(rd(os.path.join(tpl, 'dr.p1')))
    first(dr, lambda nd: nd[0] == b'\x81' and nd[2] == b'\x01')[2] = b'\x63'
    first(dr, prim(b'Receiver'))[2] = b'Other'
    first(dr, prim(b'Rita'))[2] = b'Otto'
    wr(out, 'rpt-unknown-recipient.p1', enc(dr))
    dr = parse(rd(os.path.join(tpl, 'ndr.p1')))
    prf = first(dr, lambda nd: nd[0] == b'\x31' and nd[1] and
                any(c[0] == b'\xa3' for c in nd[2]))
    prf[2].append([b'\x85', False, b'S' * 9000])
    wr(out, 'rpt-suppl-info-overlong.p1', enc(dr))
    nrn = parse(rd(os.path.join(tpl, 'nrn.p1')))
    cont = nrn[0][2][1]
    ipn = parse(cont[2])
    for nd in walk(ipn, lambda nd: not nd[1] and nd[0] in (b'\x80', b'\x81', b'\x0a')
                   and nd[2] in (b'\x00',)):
        nd[2] = b'\x7f\xff\xff\xff\xff\xff'
    cont[2] = enc(ipn)
    wr(out, 'ipn-nrn-reasons-huge.p1', enc(nrn))
    edin = parse(rd(os.path.join(tpl, 'edin.p1')))
    cont = edin[0][2][1]
    c = parse(cont[2])
    for nd in walk(c, lambda nd: not nd[1] and nd[0] in (b'\x80', b'\x81', b'\x02')
                   and len(nd[2]) == 1):
        nd[2] = b'\x80' + b'\x00' * 30
    cont[2] = enc(c)
    wr(out, 'edin-nn-code-huge.p1', enc(edin))

    # --- EERP / NERP (eerp2report): rptgen's EERP and NERP 35 on the
    # row DSN HOSTILE (OFTP2 layout: NERP reason at 126, its text length
    # at 128, the text at 131; EERP hash length at 106)
    full = rd(os.path.join(tpl, 'eerp.eerp'))
    nerp = rd(os.path.join(tpl, 'nerp.nerp'))
    wr(out, 'eerp-truncated.eerp', full[:57])
    wr(out, 'nerp-reason-overlong.nerp', nerp[:128] + b'999short')
    t = b'\x1b[2J\r\nBcc: evil\x00\xff\xfe' + b'\x07' * 50
    wr(out, 'nerp-reason-text-control.nerp',
       nerp[:126] + b'16' + b'%03d' % len(t) + t + b'\x00\x00\x00\x00')
    t = ('Fehler: Datei zu gro\u00df \u2014 \u00abquote\u00bb \'x\' "y" <html> ' * 30).encode()[:999]
    while True:                         # whole UTF-8 characters
        try:
            t.decode()
            break
        except UnicodeDecodeError:
            t = t[:-1]
    wr(out, 'nerp-reason-text-utf8-999.nerp',
       nerp[:126] + b'16' + b'%03d' % len(t) + t + b'\x00\x00\x00\x00')
    wr(out, 'nerp-reason-code-letters.nerp', nerp[:126] + b'A\x00' + nerp[128:])
    wr(out, 'eerp-dsn-binary.eerp', b'E' + b'../\x00\xff\x1bX'.ljust(26) + full[27:])
    wr(out, 'eerp-signature-length-huge.eerp', full[:108] + b'\xff\xff' + b'\x30\x80\x06')
    wr(out, 'eerp-trailing-garbage.eerp', full + b'\x00' * 2000)
    wr(out, 'eerp-spoofed-station.eerp', full[:81] + b'O0013EVIL'.ljust(25) + full[106:])

    # --- oxaddr: one address a line
    wr(out, 'oxaddr-escapes-broken.txt',
       b'(a\n/S=(999)x/C=DE/\n(((((((((((((((((((\n/S=(q/C=DE/\n(256)(-1)(00000000000000000007)\n'
       b'a@b(\n' + b'/S=' + b'(a)' * 300 + b'/C=DE/\n')
    wr(out, 'oxaddr-stdor-1000-attributes.txt',
       b'/' + b''.join(b'OU=x%d/' % i for i in range(1000)) + b'C=DE/\n'
       b'/DD.' + b'K' * 500 + b'=v/C=DE/\n' + b'@' * 300 + b'\n')


def big(d, out):
    env = envelope(rd(os.path.join(d, 'p22-ftbp-pathname-dotdot.p1')))
    # the P22 content: 100000 nested indefinite constructed levels
    n = 100000
    c = b'\xa0\x80' + b'\x31\x80' * n + b'\x00\x00' * (n + 1)
    wr(out, 'p22-nesting-indefinite-100000.p1', message(env, c, 'h-nesting'))
    # 10000 recipients in the envelope, each Rita
    e = parse(enc(env))[0]
    holder = next(c for c in e[2] if c[0] == b'\xa2')  # per-recipient-fields
    prf = holder[2][0]
    recs = []
    for i in range(10000):
        r = parse(enc(prf))[0]
        first([r], tagged(b'\x80'))[2] = (i + 1).to_bytes(2, 'big')
        recs.append(r)
    holder[2] = recs
    wr(out, 'p1-recipients-10000.p1', message(e, b'\xa0\x00', 'h-rcpt-10000'))
    # a 1 MiB MIME boundary
    bnd = b'b' * (1 << 20)
    wr(out, 'mime-boundary-1MB.payload',
       mime('multipart/mixed; boundary="' + bnd.decode() + '"',
            b'--' + bnd + b'\r\nContent-Type: text/plain\r\n\r\nx\r\n--' + bnd + b'--\r\n'))
    # 1000 levels of nested multiparts
    s = b''.join(b'--n%d\r\nContent-Type: multipart/mixed; boundary="n%d"\r\n\r\n'
                 % (i, i + 1) for i in range(1000))
    wr(out, 'mime-multipart-nesting-1000.payload',
       mime('multipart/mixed; boundary="n0"', s + b'--n1000\r\n\r\nx\r\n' +
            b''.join(b'--n%d--\r\n' % i for i in range(1000, -1, -1))))
    # 100000 header fields, then no body
    wr(out, 'mime-header-fields-100000.payload',
       b'MIME-Version: 1.0\r\n' + b'X-A: a\r\n' * 100000)
    # 20000 encoded words in a Subject (bad charsets, bad base64)
    w = b' '.join(b'=?x-evil-%d?B?%s?=' % (i, base64.b64encode(b'\xff' * 5)[:-1])
                  for i in range(20000))
    wr(out, 'mime-encoded-words-20000.payload',
       b'MIME-Version: 1.0\r\nSubject: ' + w + b'\r\nContent-Type: text/plain\r\n\r\nx\r\n')
    # CMS CompressedData: one deflate block of zeros repeated to 4 GiB
    co = zlib.compressobj(9, zlib.DEFLATED, 15)
    head = co.compress(b'\0' * (1 << 20)) + co.flush(zlib.Z_FULL_FLUSH)
    blk = co.compress(b'\0' * (1 << 20)) + co.flush(zlib.Z_FULL_FLUSH)
    z = head + blk * 4095 + co.flush()
    oid = bytes.fromhex('060b2a864886f70d0109100109')
    alg = tlv(0x30, bytes.fromhex('060b2a864886f70d0109100308'))
    data = tlv(0x30, bytes.fromhex('06092a864886f70d010701') + tlv(0xa0, tlv(0x04, z)))
    cd = tlv(0x30, b'\x02\x01\x00' + alg + data)
    wr(out, 'cms-compressed-bomb.payload', tlv(0x30, oid + tlv(0xa0, cd)))
    # a .sfid of 1 MiB (one desc line)
    wr(out, 'sfid-line-1MB.sfid', sfid('LONGLINE', 'desc = "' + 'd' * (1 << 20) + '"\n'))
    # oxaddr: one line of 1 MiB
    wr(out, 'oxaddr-line-1MB.txt', b'/S=' + b'x' * (1 << 20) + b'/C=DE/\n')


if __name__ == '__main__':
    if len(sys.argv) == 4 and sys.argv[1] == 'small':
        small(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == 'big':
        big(sys.argv[2], sys.argv[3])
    else:
        sys.exit('usage: gen.py small TPL OUT | big DIR OUT')
