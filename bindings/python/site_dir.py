"""Prints where a Python package installed under PREFIX is found by this interpreter.

Used by `cmake --install` (bindings/python/CMakeLists.txt) at install time, so the
`--prefix` given then counts. The answer comes from sysconfig's install schemes, so it is
right for Debian's patched interpreter as well as for an upstream one:

  /usr        -> /usr/lib/python3/dist-packages            (Debian: deb_system)
  /usr/local  -> /usr/local/lib/python3.11/dist-packages   (Debian: posix_local)
  ~/.local    -> ~/.local/lib/python3.11/site-packages     (the user site: posix_user)
  sys.prefix  -> the interpreter's own site-packages        (a venv, an upstream build)
  anything else -> PREFIX/lib/python3.11/site-packages     (posix_prefix: set PYTHONPATH)
"""
import os
import site
import sys
import sysconfig


def main() -> None:
    prefix = os.path.normpath(os.path.abspath(os.path.expanduser(sys.argv[1])))
    schemes = sysconfig.get_scheme_names()

    def platlib(scheme: str, base: str = "") -> str:
        v = {"base": base, "platbase": base, "userbase": base} if base else None
        return sysconfig.get_path("platlib", scheme, vars=v)

    if prefix == os.path.normpath(site.getuserbase()):
        out = platlib("posix_user")
    elif prefix == os.path.normpath(sys.prefix):
        out = sysconfig.get_path("platlib")  # the interpreter's default scheme
        if "deb_system" in schemes and prefix == "/usr":
            out = platlib("deb_system")
    elif "posix_local" in schemes and prefix == os.path.join(os.path.normpath(sys.prefix), "local"):
        out = platlib("posix_local")
    else:
        out = platlib("posix_prefix", prefix)
    print(out)


if __name__ == "__main__":
    main()
