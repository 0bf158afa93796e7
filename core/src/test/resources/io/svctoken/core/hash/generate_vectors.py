#!/usr/bin/env python3
"""Generator for hash-vectors.txt. It was run once and its output is committed;
the tests never run it.

Independent tools only:
  * Python 3.11 standard library: hashlib.pbkdf2_hmac('sha512', ...), hashlib.sha512,
    hashlib.sha256, hashlib.sha1, hashlib.md5, base64.b64encode.
  * htpasswd -nbB -C <cost> from Debian 12 bookworm apache2-utils 2.4.71-1~deb12u1
    (apt-get update && apt-get install -y apache2-utils). It emits $2y$ hashes
    (APR / crypt_blowfish). Every htpasswd hash is checked back with
    `htpasswd -vb <file> u <password>` before it is written.

Salts for PBKDF2 / SSHA256 are derived deterministically (SHA-256 of a label), so
re-running the script reproduces those lines exactly; bcrypt salts come from
htpasswd's own RNG, so those lines change on every run.

Usage:  python3 generate_vectors.py > hash-vectors.txt
"""
import base64
import hashlib
import os
import subprocess
import sys
import tempfile


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def salt(label: str, n: int) -> bytes:
    out = b""
    i = 0
    while len(out) < n:
        out += hashlib.sha256(f"svctoken-vector-salt/{label}/{i}".encode()).digest()
        i += 1
    return out[:n]


def pbkdf2(password: str, iterations: int, salt_bytes: bytes, dk_len: int = 32) -> str:
    dk = hashlib.pbkdf2_hmac("sha512", password.encode("utf-8"), salt_bytes, iterations, dk_len)
    return "{PBKDF2}%d$%s$%s" % (iterations, b64(salt_bytes), b64(dk))


def pbkdf2_stretch(password: str, iterations: int, salt_bytes: bytes, dk_len: int = 32) -> str:
    hexed = hashlib.sha512(password.encode("utf-8")).hexdigest()  # lower-case, 128 chars
    dk = hashlib.pbkdf2_hmac("sha512", hexed.encode("ascii"), salt_bytes, iterations, dk_len)
    return "{PBKDF2_STRETCH}%d$%s$%s" % (iterations, b64(salt_bytes), b64(dk))


def ssha256(password: str, salt_bytes: bytes) -> str:
    assert len(salt_bytes) == 8
    digest = hashlib.sha256(password.encode("utf-8") + salt_bytes).digest()
    return "{SSHA256}" + b64(salt_bytes) + b64(digest)


def sha1(password: str) -> str:
    return "{SHA}" + b64(hashlib.sha1(password.encode("utf-8")).digest())


def md5(password: str) -> str:
    return "{MD5}" + b64(hashlib.md5(password.encode("utf-8")).digest())


def htpasswd_bcrypt(password: str, cost: int) -> str:
    pw = password.encode("utf-8")
    out = subprocess.run(["htpasswd", "-nbB", "-C", str(cost), "u", pw],
                         check=True, capture_output=True).stdout.decode("ascii").strip()
    user, hashed = out.split(":", 1)
    assert user == "u" and hashed.startswith("$2y$%02d$" % cost) and len(hashed) == 60, out
    with tempfile.NamedTemporaryFile("w", delete=False) as f:
        f.write(out + "\n")
        path = f.name
    try:
        ok = subprocess.run(["htpasswd", "-vb", path, "u", pw], capture_output=True)
        assert ok.returncode == 0, ok.stderr
        bad = subprocess.run(["htpasswd", "-vb", path, "u", b"x" + pw], capture_output=True)
        assert bad.returncode != 0
    finally:
        os.unlink(path)
    return hashed


ASCII = ["qwerty123456", "password", "7LWZH6QcTuq2Z2Qk3hYzJg", "s3cr3t!@#$%^&*()_+{}|:<>?~ =-"]
UNICODE = ["pässwörd", "пароль123", "密码パスワード", "\U0001F511key\U0001F512", "Ωmega-ñ-ü-€"]
LONG = "L" * 40 + "0123456789" * 4  # 80 ASCII bytes: bcrypt only looks at the first 72

lines = []


def emit(name: str, password: str, hashed: str) -> None:
    assert "\t" not in password and "\n" not in password
    lines.append(f"{name}\t{password}\t{hashed}")


# --- PBKDF2 / PBKDF2_STRETCH: canonical layout (32-byte salt, 256-bit key) -----------------
for i, pw in enumerate(ASCII + UNICODE):
    emit("pbkdf2_1000", pw, pbkdf2(pw, 1000, salt(f"p1000-{i}", 32)))
    emit("pbkdf2_stretch_1000", pw, pbkdf2_stretch(pw, 1000, salt(f"s1000-{i}", 32)))
for i, pw in enumerate(["qwerty123456", "pässwörd", "\U0001F511key\U0001F512"]):
    emit("pbkdf2", pw, pbkdf2(pw, 10000, salt(f"p10000-{i}", 32)))
    emit("pbkdf2_stretch", pw, pbkdf2_stretch(pw, 10000, salt(f"s10000-{i}", 32)))
# one vector per expensive count
for n in (50000, 100000, 500000, 1000000):
    emit(f"pbkdf2_{n}", "password", pbkdf2("password", n, salt(f"p{n}", 32)))
    emit(f"pbkdf2_stretch_{n}", "пароль123", pbkdf2_stretch("пароль123", n, salt(f"s{n}", 32)))

# --- PBKDF2 foreign layouts: other salt sizes (>= 8 bytes) and key sizes (multiples of 16) --
for salt_len, dk_len in ((8, 32), (16, 32), (64, 32), (32, 16), (32, 48), (32, 64), (8, 64), (12, 16)):
    emit("pbkdf2_1000", "qwerty123456", pbkdf2("qwerty123456", 1000, salt(f"fp-{salt_len}-{dk_len}", salt_len), dk_len))
    emit("pbkdf2_stretch_1000", "пароль123",
         pbkdf2_stretch("пароль123", 1000, salt(f"fs-{salt_len}-{dk_len}", salt_len), dk_len))
emit("pbkdf2", "password", pbkdf2("password", 10000, salt("fp10000-16-64", 16), 64))

# --- SSHA256 / SHA1 / MD5 --------------------------------------------------------------------
for i, pw in enumerate(ASCII + UNICODE + [""]):
    emit("ssha256", pw, ssha256(pw, salt(f"ssha-{i}", 8)))
    emit("sha1", pw, sha1(pw))
    emit("md5", pw, md5(pw))

# --- bcrypt via htpasswd ($2y$) plus $2b$ / $2a$ minor rewrites ------------------------------
for pw in ASCII:
    h = htpasswd_bcrypt(pw, 4)
    emit("bcrypt4", pw, h)
    emit("bcrypt4", pw, "$2b$" + h[4:])
    emit("bcrypt4", pw, "$2a$" + h[4:])
for pw in UNICODE:
    h = htpasswd_bcrypt(pw, 4)
    emit("bcrypt4", pw, h)
    emit("bcrypt4", pw, "$2b$" + h[4:])  # no $2a$ rewrite for 8-bit passwords, see header
h = htpasswd_bcrypt(LONG, 4)
emit("bcrypt4", LONG, h)
emit("bcrypt4", LONG[:72], h)  # same first 72 bytes -> same hash
emit("bcrypt4", LONG, "$2a$" + h[4:])
for pw in ("qwerty123456", "пароль123"):
    emit("bcrypt5", pw, htpasswd_bcrypt(pw, 5))
h = htpasswd_bcrypt("password", 10)
emit("bcrypt", "password", h)
emit("bcrypt", "password", "$2a$" + h[4:])
emit("bcrypt", "pässwörd", htpasswd_bcrypt("pässwörd", 10))

HEADER = """\
# Independent test vectors for io.svctoken.core.hash.Hasher.
#
# Format: one vector per line, three TAB-separated fields, UTF-8:
#   <canonical name resolveFromHash must return> TAB <password> TAB <stored hash>
# Lines starting with '#' and blank lines are ignored. Passwords are literal UTF-8
# (no TABs or newlines); an empty second field is the empty password.
#
# Produced once by generate_vectors.py (next to this file) with:
#   apt-get update && apt-get install -y apache2-utils     # Debian 12 bookworm, apache2-utils 2.4.71-1~deb12u1
#   python3 generate_vectors.py > hash-vectors.txt           # Python 3.11.7
# Tools used, none of them Java or this code base:
#   {PBKDF2}         hashlib.pbkdf2_hmac('sha512', utf8(pw), salt, n, dklen)
#   {PBKDF2_STRETCH} same over hashlib.sha512(utf8(pw)).hexdigest() (lower-case hex, ASCII)
#   {SSHA256}        b64(salt8) + b64(hashlib.sha256(utf8(pw) + salt8))
#   {SHA} / {MD5}    b64(hashlib.sha1 / hashlib.md5 of utf8(pw))
#   bcrypt           htpasswd -nbB -C <cost> u <pw>   ($2y$, each checked with htpasswd -vb)
# Base64 is standard with '=' padding. PBKDF2/SSHA256 salts are SHA-256 of fixed labels
# (deterministic); bcrypt salts are random from htpasswd.
#
# $2b$ and $2a$ lines are the $2y$ htpasswd output with the minor version rewritten by
# the script (no tool here emits them). For bcrypt, 2a/2b/2y run the identical
# algorithm on passwords shorter than 256 bytes (OpenBSD 2b only fixed a length wrap at
# 256; crypt_blowfish's 2y only marks "no sign-extension bug"). Exception: crypt_blowfish
# (htpasswd, PHP, libxcrypt) may alter $2a$ hashes of passwords with 8-bit bytes (a
# countermeasure for its old sign-extension bug), so $2a$ rewrites are only made for ASCII
# passwords; jBCrypt/Elasticsearch/BouncyCastle treat $2a$ like $2b$ in all cases.
# The 80-byte ASCII password appears twice with the same hash: bcrypt only uses the first
# 72 bytes, so its 72-byte prefix verifies too.
#
# Expensive PBKDF2 counts (50000 .. 1000000) have one vector each. The Elasticsearch
# spec's own vectors (cli-files-enrollment.md 5.7) are at the end of the file; they
# were derived from the description, not produced by Elasticsearch, and were not
# regenerated here (hashlib reproduces them; the script asserts that).
"""

# spec 5.7 vectors, re-checked with hashlib
SPEC_SALT = bytes(range(1, 33))
SPEC = [
    ("pbkdf2", "{PBKDF2}10000$AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=$V2WpONdio96GraziTdhpBe/AECuuA6OXDakMh8ZOHMs="),
    ("pbkdf2_stretch", "{PBKDF2_STRETCH}10000$AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=$HuU/CkY2+8FrdaRLob/WEFzYa8g94v/6+w6srhx+D1A="),
    ("ssha256", "{SSHA256}AQIDBAUGBwg=9hARz15kfPIEunjsfJzesauM+8NEcBJ8T4Mh2qjY058="),
    ("sha1", "{SHA}87o4G2uu9Sa/cP8iCx2kkGmJIks="),
    ("md5", "{MD5}SEdPl1Ai+WC8Kvvkm+WB6A=="),
]
assert SPEC[0][1] == pbkdf2("qwerty123456", 10000, SPEC_SALT)
assert SPEC[1][1] == pbkdf2_stretch("qwerty123456", 10000, SPEC_SALT)
assert SPEC[2][1] == ssha256("qwerty123456", SPEC_SALT[:8])
assert SPEC[3][1] == sha1("qwerty123456")
assert SPEC[4][1] == md5("qwerty123456")

out = sys.stdout
out.write(HEADER)
out.write("\n")
for line in lines:
    out.write(line + "\n")
out.write("\n# --- spec cli-files-enrollment.md 5.7 (password qwerty123456) ---\n")
for name, hashed in SPEC:
    out.write(f"{name}\tqwerty123456\t{hashed}\n")
