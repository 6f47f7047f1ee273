#!/bin/sh
# tpl.sh TOOLS TPL: the templates gen.py small reads (see gen.py), made by
# the test generators of an ASan build (TOOLS = build/asan/tests/tools).
# Then: python3 gen.py small TPL tests/hostile
set -e
T=$1 D=$2
mkdir -p "$D/g1" "$D/g2"
"$T/p1gen" "$D/g1" >/dev/null
"$T/p22gen" "$D/g2" >/dev/null
cp "$(dirname "$0")/../../../shared/fixtures/x400/edim.p35" "$D/"
M=$D/g2/gen_msg.p1
"$T/rptgen" report -l hostile-rpt "$M" "$D/dr.p1" d
"$T/rptgen" report -l hostile-rpt "$M" "$D/ndr.p1" n:1:0
"$T/rptgen" ipn -l hostile-rpt "$M" "$D/nrn.p1" nrn:0
"$T/rptgen" edin /S=EDI/O=Gateway/PRMD=OFTP/ADMD=VIAT/C=DE/ hostile-edim \
    /G=Rita/S=Receiver/O=Gateway/PRMD=OFTP/ADMD=VIAT/C=DE/ "$D/edin.p1" nn:1:1
"$T/rptgen" eerp "$D/eerp.eerp" e HOSTILE 20261122 1000000001 O0177000000000X0LU000099 O0013XFER
"$T/rptgen" eerp "$D/nerp.nerp" n:35 HOSTILE 20261122 1000000001 O0177000000000X0LU000099 O0013XFER
