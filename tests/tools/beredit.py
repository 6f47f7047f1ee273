#!/usr/bin/env python3
"""beredit - edit one element of a BER file, lengths re-encoded (test tool)

usage: beredit.py IN OUT OP PATH [ARG]

PATH names an element by the first identifier octet of each step in hex,
from the outermost: "a0/31/46" is the [APPLICATION 6] element of the SET
inside the outer [0]. "x#2" is the third child with first octet x. A step
">" reads the value of the primitive element before it as BER of its own
(the P1 content OCTET STRING holding the P22), so "a0/04/>/a0/31/a8/14" is
the subject's TeletexString of a P1 message.

OP is one of
  value  replace the element's value (ARG in hex, or @FILE), tag kept
  tlv    replace the whole element (ARG: its encoding in hex)
  drop   remove the element
  get    write the element's value (hex) to OUT ("-": stdout)
Every length from the element out is encoded again (definite, minimal),
so the output is valid BER wherever the input was. Input in indefinite
length form is refused. Exit 0 done, 1 no such element, 2 bad input.
"""
import sys


def hdr_len(n):
    if n < 128:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, 'big')
    return bytes([0x80 | len(b)]) + b


def parse(d, i, end):
    """one TLV at d[i:end] -> (tag bytes, value bytes, next index)"""
    j = i + 1
    if d[i] & 0x1f == 0x1f:
        while d[j] & 0x80:
            j += 1
        j += 1
    tag = d[i:j]
    n = d[j]
    j += 1
    if n == 0x80:
        sys.exit('beredit: indefinite length not supported')
    if n & 0x80:
        k = n & 0x7f
        n = int.from_bytes(d[j:j + k], 'big')
        j += k
    if j + n > end:
        sys.exit('beredit: element runs past its container')
    return tag, d[j:j + n], j + n


def children(v):
    out, i = [], 0
    while i < len(v):
        t, val, i = parse(v, i, len(v))
        out.append((t, val))
    return out


def enc(tag, val):
    return tag + hdr_len(len(val)) + val


def edit(tag, val, steps, op, arg):
    """returns the new encoding of the element (tag, val), or None to drop"""
    if not steps:
        if op == 'value':
            return enc(tag, arg)
        if op == 'tlv':
            return arg
        if op == 'drop':
            return None
        if op == 'get':
            raise Found(val)
    step = steps[0]
    if step == '>':
        t, v, n = parse(val, 0, len(val))
        if n != len(val):
            sys.exit('beredit: trailing octets after embedded BER')
        if len(steps) < 2 or int(steps[1], 16) != t[0]:
            raise Missing(steps[1] if len(steps) > 1 else '>')
        new = edit(t, v, steps[2:], op, arg)
        return enc(tag, new if new is not None else b'')
    want, _, nth = step.partition('#')
    want, nth, seen, out, hit = int(want, 16), int(nth or 0), 0, b'', False
    for t, v in children(val):
        if t[0] == want and seen == nth and not hit:
            hit = True
            new = edit(t, v, steps[1:], op, arg)
            out += new if new is not None else b''
            seen += 1
            continue
        if t[0] == want:
            seen += 1
        out += enc(t, v)
    if not hit:
        raise Missing(step)
    return enc(tag, out)


class Found(Exception):
    pass


class Missing(Exception):
    pass


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    src, dst, op = sys.argv[1:4]
    path = sys.argv[4] if len(sys.argv) > 4 else ''
    arg = sys.argv[5] if len(sys.argv) > 5 else ''
    if op not in ('value', 'tlv', 'drop', 'get'):
        sys.exit(__doc__)
    if arg.startswith('@'):
        arg = open(arg[1:], 'rb').read()
    else:
        arg = bytes.fromhex(arg)
    d = open(src, 'rb').read()
    tag, val, n = parse(d, 0, len(d))
    if n != len(d):
        sys.exit('beredit: trailing octets')
    steps = [s for s in path.split('/') if s]
    if not steps or int(steps[0], 16) != tag[0]:
        print('beredit: the outer element is %02x' % tag[0], file=sys.stderr)
        return 1
    try:
        out = edit(tag, val, steps[1:], op, arg)
    except Missing as e:
        print('beredit: no element %s in %s' % (e, path), file=sys.stderr)
        return 1
    except Found as f:
        h = f.args[0].hex()
        if dst == '-':
            print(h)
        else:
            open(dst, 'w').write(h + '\n')
        return 0
    open(dst, 'wb').write(out if out is not None else b'')
    return 0


if __name__ == '__main__':
    sys.exit(main())
