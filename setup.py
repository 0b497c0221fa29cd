"""Builds the vnsearch Python package with the project's CMake (see pyproject.toml).

The extension is CMake's `_vnsearch_wheel` target: bindings/python/src/module.cpp linked
with the library's own objects statically, so the wheel needs only the system libraries
vnsearch uses (Debian 12: libxapian30, libicu72, libboost-locale1.74.0, libzstd1).

Environment:
  VNSEARCH_CMAKE_BUILD_DIR  an already configured build folder to build the target in (it
                            must have been configured for this interpreter); default: a
                            private one under build-pip/ (library, no tests or benchmarks).
  VNSEARCH_BUILD_JOBS       parallel compile jobs (default: the number of cores).
"""
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

SOURCE = Path(__file__).resolve().parent


def project_version() -> str:
    text = (SOURCE / "CMakeLists.txt").read_text(encoding="utf-8")
    m = re.search(r"project\(vnsearch\s+VERSION\s+([0-9.]+)", text)
    if not m:
        raise RuntimeError("no project(vnsearch VERSION ...) in CMakeLists.txt")
    return m.group(1)


class CMakeBuild(build_ext):
    def build_extension(self, ext: Extension) -> None:
        build_dir = os.environ.get("VNSEARCH_CMAKE_BUILD_DIR")
        if build_dir:
            build_dir = Path(build_dir).resolve()
        else:
            build_dir = PIP_DIR / f"cmake-py{sys.version_info[0]}{sys.version_info[1]}"
            subprocess.run(
                ["cmake", "-S", str(SOURCE), "-B", str(build_dir), "-DCMAKE_BUILD_TYPE=Release",
                 "-DVNSEARCH_BUILD_PYTHON=ON", "-DVNSEARCH_BUILD_TESTS=OFF", "-DVNSEARCH_BUILD_BENCH=OFF",
                 f"-DPython_EXECUTABLE={sys.executable}"],
                check=True)
        jobs = os.environ.get("VNSEARCH_BUILD_JOBS") or str(os.cpu_count() or 1)
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "_vnsearch_wheel", "-j", jobs], check=True)
        suffix = sysconfig.get_config_var("EXT_SUFFIX")
        built = build_dir / "python-wheel" / f"_vnsearch{suffix}"
        if not built.is_file():
            raise RuntimeError(f"{built} not found: was {build_dir} configured for {sys.executable}?")
        target = Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built, target)


PIP_DIR = SOURCE / "build-pip"  # setuptools' own build folders, out of CMake's build/
PIP_DIR.mkdir(exist_ok=True)

setup(
    version=project_version(),
    ext_modules=[Extension("vnsearch._vnsearch", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    options={"build": {"build_base": str(PIP_DIR / "setuptools")}, "egg_info": {"egg_base": str(PIP_DIR)}},
)
