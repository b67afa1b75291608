#!/bin/sh
# SPDX-License-Identifier: MIT
# The report file itself, without a browser: the CSP meta tag carries the
# SHA-256 of the inline script and style actually in the page, nothing is
# loaded from anywhere, the data decodes to the traced events, secrets in
# argv and buffers are redacted by default (and kept with --no-redact).
. "$TOP/tests/lib.sh"

cmp -q --report "$T/r.html" -- /bin/sh -c 'echo "Authorization: Bearer s3cr3tTOKEN" >/dev/null; cat /etc/hostname >/dev/null' \
	--password hunter2 "https://alice:pa55@example.com/x" 2>"$T/err"
check "report written" test -s "$T/r.html"
python3 - "$T/r.html" >"$T/res" <<'PY'
import base64, gzip, hashlib, json, re, sys
h = open(sys.argv[1], encoding='utf-8').read()
def res(name, cond, why=''):
    print(('ok - ' if cond else 'not ok - ') + name + (' (' + why + ')' if why and not cond else ''))
csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', h)
res('a CSP meta tag is present', bool(csp))
policy = csp.group(1) if csp else ''
res("the policy is default-src 'none' with hashes only", re.fullmatch(
    r"default-src 'none'; script-src 'sha256-[A-Za-z0-9+/=]{44}'; style-src 'sha256-[A-Za-z0-9+/=]{44}'; "
    r"img-src data:; base-uri 'none'; form-action 'none'", policy) is not None, policy)
def b64sha(s): return base64.b64encode(hashlib.sha256(s.encode('utf-8')).digest()).decode()
scripts = re.findall(r'<script>(.*?)</script>', h, re.S)
styles = re.findall(r'<style>(.*?)</style>', h, re.S)
res('one inline script and one style', len(scripts) == 1 and len(styles) == 1)
res('the script hash in the CSP matches the script', "'sha256-%s'" % b64sha(scripts[0]) in policy)
res('the style hash in the CSP matches the style', "'sha256-%s'" % b64sha(styles[0]) in policy)
res('no src=, href= or url( pointing anywhere', not re.search(r'(src|href)\s*=\s*["\']?(https?:|//)|url\(', h))
res('no inline event handler attribute in the template', not re.search(r'<[^>]+\son[a-z]+\s*=', h))
meta = json.loads(re.search(r'<script type="application/json" id="meta">(.*?)</script>', h, re.S).group(1))
blocks = re.findall(r'<script type="application/octet-stream" class="trace-data">(.*?)</script>', h, re.S)
res('data blocks are at most 16 MiB each', blocks and all(len(b) <= 16 << 20 for b in blocks))
raw = gzip.decompress(b''.join(base64.b64decode(b) for b in blocks))
res('the data decompresses to the announced size', len(raw) == meta['raw_len'])
strings = raw[[l for l in meta['layout'] if l['name'] == 'strings'][0]['off']:].decode('utf-8')
res('the string table holds the file the command read', '/etc/hostname' in strings)
res('event count matches the types', meta['count'] == sum(t['n'] for t in meta['types']) and meta['count'] > 10)
everything = h + strings
for s in ('hunter2', 's3cr3tTOKEN', 'alice:pa55'):
    res('secret %s is not in the report' % s, s not in everything)
res('redactions are marked', '[REDACTED]' in strings and meta['nredacted'] >= 1 and meta['argv_redacted'] is True)
res('the header argv shows the redaction', '[REDACTED]' in meta['argv'] and 'https://[REDACTED]@example.com/x' in meta['argv'])
PY
cat "$T/res"
grep -q "may still contain secrets" "$T/err"
check "a warning line says the report may contain secrets" test $? -eq 0

cmp -q --no-redact --report "$T/nr.html" -- /bin/echo --password hunter2 >/dev/null 2>"$T/err"
python3 - "$T/nr.html" <<'PY'
import base64, gzip, json, re, sys
h = open(sys.argv[1], encoding='utf-8').read()
meta = json.loads(re.search(r'id="meta">(.*?)</script>', h, re.S).group(1))
ok = 'hunter2' in meta['argv'] and meta['redact'] is False
print(('ok - ' if ok else 'not ok - ') + '--no-redact keeps the secret (and says so)')
PY
grep -q "no-redact" "$T/err"
check "--no-redact prints its own warning" test $? -eq 0
