# The two commands a new user needs: `make run` and `make test`. Both create the virtual
# environment and install the pinned requirements when needed.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED_DATA ?= ../shared/data
HOST ?= 127.0.0.1:8000

.PHONY: run test install migrate demo admin-user import-reference schema bench check clean

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

admin-user: migrate
	$(BIN)/python manage.py ensure_admin

run: demo admin-user
	@echo "Admin (Wagtail):  http://$(HOST)/admin/"
	@echo "Django admin:     http://$(HOST)/django-admin/"
	@echo "GraphQL:          http://$(HOST)/graphql/"
	$(BIN)/python manage.py runserver $(HOST)

test: install
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

# The official reference files (../shared/data in this workplace; any Kemendagri-shaped file elsewhere).
import-reference: migrate
	$(BIN)/python manage.py import_nomenclature $(SHARED_DATA)/nomenklatur/simcan_nomenklatur_permendagri90_kep050-3708.csv --edition "Kepmendagri 050-3708/2020" --year 2021 --level-pemda kab
	$(BIN)/python manage.py import_wilayah $(SHARED_DATA)/wilayah/wilayah_indonesia.csv --within 53.01 \
		--boundaries $(SHARED_DATA)/wilayah/kab_kupang_5301_kecamatan_boundaries.geojson \
		--boundaries $(SHARED_DATA)/wilayah/kab_kupang_5301_desa_boundaries.geojson

schema: install
	$(BIN)/python manage.py export_schema

bench: install
	$(BIN)/python bench/import_nomenclature.py
	$(BIN)/python bench/graphql_nested.py

clean:
	rm -rf $(VENV) db.sqlite3 media static .admin-password
