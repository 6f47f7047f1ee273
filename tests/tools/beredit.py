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
Every length is encoded again (definite, minimal; the BER tree code of
tests/hostile/gen.py), so the output is valid BER wherever the input was.
Exit 0 done, 1 no such element, other: bad input.
"""
import os
import sys

# the BER tree of the hostile inputs' recipes: [tag octets, constructed,
# value octets | children], parse() and enc() (definite, minimal lengths)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', 'hostile'))
from gen import enc, parse  # noqa: E402


class Found(Exception):
    pass


class Missing(Exception):
    pass


def edit(node, steps, op, arg):
    """the nodes that replace node after the edit ([] to drop it)"""
    tag, cons, v = node
    if not steps:
        if op == 'get':
            raise Found(enc(v) if cons and v else (b'' if cons else v))
        return {'value': [[tag, False, arg]], 'tlv': parse(arg),
                'drop': []}[op]
    if steps[0] == '>':
        inner = parse(v)
        if len(steps) < 2 or len(inner) != 1 or \
                inner[0][0][0] != int(steps[1], 16):
            raise Missing(steps[1] if len(steps) > 1 else '>')
        new = edit(inner[0], steps[2:], op, arg)
        return [[tag, False, enc(new) if new else b'']]
    want, _, nth = steps[0].partition('#')
    hits = [i for i, c in enumerate(v if cons else [])
            if c[0][0] == int(want, 16)]
    if len(hits) <= int(nth or 0):
        raise Missing(steps[0])
    i = hits[int(nth or 0)]
    node[2] = v[:i] + edit(v[i], steps[1:], op, arg) + v[i + 1:]
    return [node]


def main():
    if len(sys.argv) < 4 or sys.argv[3] not in ('value', 'tlv', 'drop',
                                                'get'):
        sys.exit(__doc__)
    src, dst, op = sys.argv[1:4]
    steps = [s for s in (sys.argv[4] if len(sys.argv) > 4 else '').split('/')
             if s]
    arg = sys.argv[5] if len(sys.argv) > 5 else ''
    arg = open(arg[1:], 'rb').read() if arg.startswith('@') else \
        bytes.fromhex(arg)
    d = open(src, 'rb').read()
    if b'\x80' in d[1:2]:
        sys.exit('beredit: indefinite length not supported')
    root = parse(d)
    if len(root) != 1 or not steps or int(steps[0], 16) != root[0][0][0]:
        print('beredit: not one element %s' % (steps[:1],), file=sys.stderr)
        return 1
    try:
        out = edit(root[0], steps[1:], op, arg)
    except Missing as e:
        print('beredit: no element %s in %s' % (e, '/'.join(steps)),
              file=sys.stderr)
        return 1
    except Found as f:
        if dst == '-':
            print(f.args[0].hex())
        else:
            open(dst, 'w').write(f.args[0].hex() + '\n')
        return 0
    open(dst, 'wb').write(enc(out) if out else b'')
    return 0


if __name__ == '__main__':
    sys.exit(main())
