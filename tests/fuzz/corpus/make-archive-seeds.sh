#!/bin/sh
# make-archive-seeds.sh - (re)make the seed corpus of fuzz_archive: small
# archives of every format the walker reads, each under 4 KB.
#
#     tests/fuzz/corpus/make-archive-seeds.sh BUILD_DIR
#
# 1. BUILD_DIR/test_scan_archive runs with VG_ARCHIVE_SEEDS set and writes the
#    small archives it builds with libarchive's writer: zip (deflate, store,
#    zipcrypt-encrypted), GNU tar, tar.gz/.bz2/.xz/.zst, 7z, cpio (newc), ar,
#    bare gzip/bzip2/xz/lzma/zstd streams, a zip in a tar.gz in a zip, and a
#    zip of 3 MiB of zeros (a bomb under the fuzzer's limits).
# 2. The real tools add what libarchive's writer does not make: a zip streamed
#    by Info-ZIP (sizes after the data) and a GNU ar archive in deterministic
#    mode (no file type in the mode field).
# Seeds already in the corpus (e.g. merged by scripts/run-fuzzers) are kept;
# seeds of the same name are replaced. zipcrypt.zip and infozip-stream.zip
# differ from run to run (a random encryption header; the clock). RAR, CAB
# and ISO 9660 have no seed: nothing here writes RAR or CAB, and an ISO image
# is at least 32 KB. No seed holds the EICAR string: the corpus is committed.
set -eu

[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
out="$here/fuzz_archive"
[ -x "$build/test_scan_archive" ] || { echo "$0: no $build/test_scan_archive" >&2; exit 2; }
mkdir -p "$out"

VG_ARCHIVE_SEEDS="$out" VG_TEST_TMP="${TMPDIR:-/tmp}" "$build/test_scan_archive" >/dev/null

tmp=$(mktemp -d "${TMPDIR:-/tmp}/archive-seeds.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
printf 'MZ\220\000 not really a program\n' >"$tmp/tool.exe"
printf 'hello, archive\n' >"$tmp/readme.txt"
(cd "$tmp" && cat tool.exe | zip -q -X - - >"$out/infozip-stream.zip")
(cd "$tmp" && ar rcD gnu-ar.a readme.txt tool.exe && cp gnu-ar.a "$out/gnu-ar.a")

n=0
for f in "$out"/*; do
    size=$(wc -c <"$f")
    if [ "$size" -gt 4096 ]; then
        echo "$0: $f is $size bytes (over 4 KB)" >&2
        exit 1
    fi
    n=$((n + 1))
done
echo "make-archive-seeds: $n seeds in $out"
