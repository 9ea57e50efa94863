"""Property-based test of `digits serve`'s API: schemathesis generates requests from the served
OpenAPI document (/openapi.yaml) and checks that no answer is a 5xx and every answer fits the
document (status, content type, schema)."""
import re
import shutil
import subprocess

import pytest

from conftest import BIN, ROOT


def test_the_api_fits_its_document_and_never_fails(tmp_path):
    schemathesis = shutil.which("schemathesis")
    if schemathesis is None:
        pytest.skip("schemathesis is not installed (tools/browser-tests.sh installs it)")
    server = subprocess.Popen(
        [str(BIN / "digits-serve"), "--port", "0", "--log-level", "warning",
         "--model", str(ROOT / "models" / "default.safetensors")],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        match = re.match(r"digits serve: listening on (http://127\.0\.0\.1:\d+)/", server.stdout.readline())
        assert match, "digits-serve did not start"
        url = match.group(1)
        run = subprocess.run(
            [schemathesis, "run", f"{url}/openapi.yaml", "--url", url,
             "--checks", "not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance",
             "--max-examples", "50", "--seed", "1"],
            # Its cache folder (.schemathesis/) goes to the test's temporary folder, not the repository.
            capture_output=True, text=True, timeout=600, cwd=tmp_path)
        assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
        # It did test the operations (not all skipped).
        assert re.search(r"Tested: [1-9]", run.stdout), run.stdout[-2000:]
        assert server.poll() is None, "the server ended during the fuzzing"
    finally:
        server.terminate()
        assert server.wait(timeout=20) == 0
