import pytest
from django.core.management import CommandError, call_command

from cocity.municipalities.models import Municipality


@pytest.mark.django_db
class TestCreateMunicipality:
    def test_creates_and_is_idempotent(self, capsys):
        call_command("create_municipality", slug="palermo", name="Palermo", istat="082053")
        call_command("create_municipality", slug="palermo", name="Palermo", istat="082053")

        assert Municipality.objects.filter(slug="palermo").count() == 1
        assert "nothing changed" in capsys.readouterr().out

    def test_invalid_slug_says_why_and_fails(self):
        with pytest.raises(CommandError, match="slug"):
            call_command("create_municipality", slug="Palermo!", name="Palermo")
        assert not Municipality.objects.exists()

    def test_duplicate_name_says_why_and_fails(self):
        call_command("create_municipality", slug="palermo", name="Palermo")
        with pytest.raises(CommandError, match="Palermo"):
            call_command("create_municipality", slug="pa", name="Palermo")
        assert list(Municipality.objects.values_list("slug", flat=True)) == ["palermo"]

    def test_exit_code_is_non_zero_on_error(self):
        import subprocess
        import sys

        result = subprocess.run(
            [sys.executable, "manage.py", "create_municipality", "--slug", "api", "--name", "X"],
            capture_output=True,
            text=True,
            env={**__import__("os").environ, "DATABASE_URL": "sqlite:///:memory:"},
        )
        assert result.returncode != 0
        assert "riservato" in result.stderr or "reserved" in result.stderr
