"""``[images]`` settings: TOML table and environment, typed and validated."""
from __future__ import annotations

import base64
from pathlib import Path

import pytest

from interceptor.errors import ConfigError
from interceptor.images.config import images_from_env, images_from_table, with_values
from interceptor.images.decode import Picture
from interceptor.images.reading import Box, TextLine
from interceptor.images.record import audit_images
from interceptor.images.screen import ImageText, ImageVerdict
from interceptor.images.settings import ImageSettings
from interceptor.types import Action, Verdict


def test_table_and_environment_layers() -> None:
    table = images_from_table({"enabled": True, "max_images": 3, "allowed_hosts": ["Img.Example.com"],
                               "budget_s": 2})
    env = images_from_env({"INTERCEPTOR_IMAGES_MAX_IMAGES": "5", "INTERCEPTOR_IMAGES_FORMATS": "png, jpeg",
                           "INTERCEPTOR_IMAGES_BACKEND": "", "OTHER": "x"})
    s = with_values(ImageSettings(), table, env)
    assert (s.enabled, s.max_images, s.allowed_hosts, s.budget_s, s.formats) == (
        True, 5, ("img.example.com",), 2.0, ("png", "jpeg"))


@pytest.mark.parametrize("table", [{"colour": 1}, {"enabled": "maybe"}, {"max_images": "many"},
                                   {"max_images": True}, {"allowed_hosts": [1]}, {"backend": 3},
                                   {"formats": ["tiff"]}, {"workers": 0}])
def test_bad_values_are_configuration_errors(table: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        with_values(ImageSettings(), images_from_table(table))


def test_the_record_keeps_hash_text_boxes_and_optionally_the_image() -> None:
    data = b"\x89PNG not really"
    pic = Picture(data, "ab" * 32, "png", 40, 20)
    im = ImageText(0, pic.sha256, len(data), 40, 20, "png", (TextLine("冰毒", Box(1, 2, 30, 18), 0.98),))
    v = ImageVerdict(Verdict(Action.MASK, "x", (), "v1"), (im,), (0,))
    [entry] = audit_images(v, [pic], keep_data=True)
    assert entry["sha256"] == pic.sha256 and entry["bytes"] == len(data) and entry["removed"] is True
    assert entry["lines"] == [{"text": "冰毒", "box": [1, 2, 30, 18], "score": 0.98}]
    assert base64.b64decode(entry["data"]) == data
    assert "data" not in audit_images(v, [pic], keep_data=False)[0]


def test_service_settings_read_images_from_toml_then_environment(tmp_path: Path) -> None:
    import orjson

    from interceptor.service.settings import Settings, load_settings

    conf = tmp_path / "s.toml"
    conf.write_text('[images]\nenabled = true\nmax_images = 3\nallowed_hosts = ["img.example.com"]\n'
                    '[audit]\nkeep_images = false\n')
    s = load_settings(str(conf), env={"INTERCEPTOR_IMAGES_MAX_IMAGES": "5"})
    assert (s.images.enabled, s.images.max_images, s.images.allowed_hosts, s.audit_keep_images) == (
        True, 5, ("img.example.com",), False)
    assert s.body_limit > s.max_body_bytes + s.images.max_total_bytes  # room for the images' base64
    assert load_settings(env={}).body_limit == Settings().max_body_bytes  # no images: no room added
    # the settings handed to uvicorn's workers as JSON come back the same
    assert Settings(**orjson.loads(orjson.dumps(s.to_json()))) == s
    conf.write_text("[images]\nmax_images = 0\n")
    with pytest.raises(ConfigError, match="max_images"):
        load_settings(str(conf), env={})
    conf.write_text("[images]\nwhat = 1\n")
    with pytest.raises(ConfigError, match="unknown setting what"):
        load_settings(str(conf), env={})
