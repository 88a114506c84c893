"""Shared pytest setup: the `slow` marker (tests that load real packaged weights; still run in CI)."""


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "slow: loads real packaged model weights (kept few and quick)")
