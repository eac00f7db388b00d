"""The worker's backfill sources: the gateway first; the watched folders' file when the gateway does
not know the number (indexed in the background at login); the gateway's NotFound when no file has
it either. Against the sandbox gateway as a real server."""

from __future__ import annotations

from pathlib import Path

import pytest

from customs.client import GatewayClient
from customs.declfiles import DeclarationFileError
from customs.errors import NotFound
from declarant.worker import SandboxSlot, Worker
from sandbox.card import SANDBOX_PIN
from store.engine import open_engine
from tests import declfiles_samples as s
from tests.fixtures_gateway import RunningGateway, declarations


async def _worker(tmp_path: Path, url: str, folders: list[Path]) -> Worker:
    engine = open_engine(f"sqlite:///{tmp_path / 'tuihuo.db'}")
    client = GatewayClient(url, timeout=2.0, retries=1, backoff=0.01)
    worker = Worker(engine, client, SandboxSlot(), gateway_name=url, declaration_folders=folders)
    await worker.login(SANDBOX_PIN)
    return worker


async def test_the_gateway_first_then_the_file_indexed_at_login(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    known = sorted(declarations())[0]
    imp = tmp_path / "ImpPath"
    s.write(imp, "InBox/dec.xml", s.xml_message())
    s.write(imp, "SentBox/known.xml", s.xml_message(number=known))  # the gateway's wins
    s.write(imp, "InBox/Receipt.xml", b"<DecImportResponse/>")
    worker = await _worker(tmp_path, gateway.url, [imp])
    try:
        assert worker._warming is not None
        await worker._warming  # indexed in the background at login
        assert worker.declaration_files.parsed == 3
        found = await worker.find_declaration(s.NUMBER)
        assert found.file is not None and found.file.path == imp / "InBox" / "dec.xml"
        assert found.declaration.consignee.name == s.CONSIGNEE[2]
        assert worker.declaration_files.parsed == 3  # the lookup parsed nothing again
        from_gateway = await worker.find_declaration(known)
        assert from_gateway.file is None
        assert from_gateway.declaration == declarations()[known]
        with pytest.raises(NotFound):
            await worker.find_declaration("223320251000000001")
    finally:
        await worker.client.aclose()


async def test_without_folders_the_gateways_not_found_stands(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    worker = await _worker(tmp_path, gateway.url, [])
    try:
        assert worker._warming is None
        with pytest.raises(NotFound):
            await worker.find_declaration(s.NUMBER)
    finally:
        await worker.client.aclose()


async def test_a_number_only_an_unusable_file_holds_is_that_files_refusal(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    imp = tmp_path / "ImpPath"
    number = "223320251000000088"
    s.write(imp, f"InBox/{number}.xml", s.xml_message(number=number)[:300])  # cut short
    s.write(imp, "InBox/gb.xml", s.xml_message(encoding="GB2312"))
    worker = await _worker(tmp_path, gateway.url, [imp])
    try:
        assert worker._warming is not None
        await worker._warming  # one GB file does not stop the index
        found = await worker.find_declaration(s.NUMBER)
        assert found.file is not None and found.file.path.name == "gb.xml"
        with pytest.raises(DeclarationFileError) as caught:
            await worker.find_declaration(number)
        assert caught.value.message.startswith(f"文件“{number}.xml”：不是完整有效的XML")
        with pytest.raises(NotFound):
            await worker.find_declaration("223320251000000001")
    finally:
        await worker.client.aclose()
