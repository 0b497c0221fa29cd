import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
CORPUS = pathlib.Path(os.environ.get("VNSEARCH_CORPUS_DIR", ROOT / "corpus"))


def read_article(path: pathlib.Path):
    """A tiny reader for the tests: first non-empty line as title, the rest as body."""
    lines = [l.strip() for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
    return lines[0], "\n".join(lines[1:])


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory):
    import vnsearch

    path = tmp_path_factory.mktemp("seeds") / "db"
    with vnsearch.Index(str(path)) as ix:
        for f in sorted(CORPUS.glob("*.txt")):
            title, body = read_article(f)
            ix.add(id=f.stem, title=title, body=body)
    return str(path)
