"""Demo plans from fixtures/planning_demo.json: a Kabupaten Kupang RPJMD, two departments' Renstra,
three Renja with ceilings, and the RKPD. Written through the services, as the Bappeda admin."""

import json
from decimal import Decimal

from backoffice.access.models import Role
from backoffice.access.policy import Principal
from backoffice.reference.models import Kegiatan, NomenclatureEdition, PerangkatDaerah, Program, SubKegiatan, SumberDana, Wilayah

from . import services
from .models import (
    ArahKebijakan,
    Indicator,
    IndicatorTarget,
    Misi,
    PlanningPeriod,
    ProgramPrioritas,
    RenjaRow,
    Renstra,
    RenstraKegiatan,
    RenstraProgram,
    RenstraSasaran,
    RenstraSubKegiatan,
    RenstraTujuan,
    Rkpd,
    RkpdPriority,
    Sasaran,
    Strategi,
    Tujuan,
)

ADMIN = Principal(role=Role.BAPPEDA_ADMIN)


def load(fixtures, write):
    data = json.loads((fixtures / "planning_demo.json").read_text())
    if PlanningPeriod.objects.filter(name=data["period"]["name"]).exists():
        write("Data perencanaan demo sudah ada.")
        return
    edition = NomenclatureEdition.in_force(data["period"]["start_year"])
    if edition is None or not SubKegiatan.objects.in_force(edition).filter(code="1.02.02.2.02.0001").exists():
        write("Nomenklatur demo tidak berlaku: data perencanaan demo dilewati.")
        return
    nomenclature = _Nomenclature(edition)
    period, sasaran = _period(data["period"], nomenclature)
    for item in data["renstra"]:
        _renstra(item, period, sasaran, nomenclature)
    for item in data["ceilings"]:
        source = SumberDana.objects.get(code=item["sumber_dana"]) if item.get("sumber_dana") else None
        services.set_ceiling(ADMIN, PerangkatDaerah.objects.get(code=item["perangkat_daerah"]), item["year"], Decimal(item["amount"]), source)
    for item in data["renja"]:
        _renja(item, nomenclature)
    rkpd = Rkpd.objects.create(year=data["rkpd"]["year"], theme=data["rkpd"]["theme"], is_published=data["rkpd"]["is_published"])
    RkpdPriority.objects.bulk_create(RkpdPriority(rkpd=rkpd, order=n, name=name) for n, name in enumerate(data["rkpd"]["priorities"], start=1))
    write(f"Perencanaan demo dimuat: {period.name}, {len(data['renstra'])} Renstra, {len(data['renja'])} Renja {data['rkpd']['year']}, RKPD.")


class _Nomenclature:
    def __init__(self, edition):
        self.edition = edition

    def get(self, model, code):
        return model.objects.in_force(self.edition).get(code=code)


def _indicators(items, years, **owner):
    for order, item in enumerate(items, start=1):
        indicator = Indicator.objects.create(
            **owner, order=order, text=item["text"], satuan=item.get("satuan", ""), direction=item.get("direction", "higher"),
            baseline_value=item.get("baseline"), end_target_value=item.get("end"),
        )
        amounts = item.get("amounts") or [None] * len(years)
        IndicatorTarget.objects.bulk_create(
            IndicatorTarget(indicator=indicator, year=year, value=value, amount=amount)
            for year, value, amount in zip(years, item.get("targets", []), amounts)
        )


def _period(data, nomenclature):
    period = PlanningPeriod.objects.create(
        name=data["name"], kind=data["kind"], start_year=data["start_year"], end_year=data["end_year"],
        visi=data["visi"], legal_basis=data["legal_basis"], is_published=data["is_published"],
    )
    sasaran_by_code = {}
    for misi_data in data["misi"]:
        misi = Misi.objects.create(period=period, order=misi_data["order"], text=misi_data["text"])
        for tujuan_data in misi_data["tujuan"]:
            tujuan = Tujuan.objects.create(misi=misi, code=tujuan_data["code"], text=tujuan_data["text"])
            _indicators(tujuan_data.get("indicators", []), period.years, tujuan=tujuan)
            for sasaran_data in tujuan_data["sasaran"]:
                sasaran = Sasaran.objects.create(tujuan=tujuan, code=sasaran_data["code"], text=sasaran_data["text"])
                sasaran_by_code[sasaran.code] = sasaran
                _indicators(sasaran_data.get("indicators", []), period.years, sasaran=sasaran)
                Strategi.objects.bulk_create(Strategi(sasaran=sasaran, order=n, text=t) for n, t in enumerate(sasaran_data["strategi"], 1))
                ArahKebijakan.objects.bulk_create(ArahKebijakan(sasaran=sasaran, order=n, text=t) for n, t in enumerate(sasaran_data["arah_kebijakan"], 1))
    for item in data["program_prioritas"]:
        prioritas = ProgramPrioritas.objects.create(period=period, sasaran=sasaran_by_code[item["sasaran"]], program=nomenclature.get(Program, item["program"]))
        prioritas.perangkat_daerah.set(PerangkatDaerah.objects.filter(code__in=item["perangkat_daerah"]))
    return period, sasaran_by_code


def _renstra(data, period, rpjmd_sasaran, nomenclature):
    unit = PerangkatDaerah.objects.get(code=data["perangkat_daerah"])
    renstra = Renstra.objects.create(perangkat_daerah=unit, period=period, is_published=data["is_published"])
    sasaran_by_code = {}
    for tujuan_data in data["tujuan"]:
        tujuan = RenstraTujuan.objects.create(renstra=renstra, code=tujuan_data["code"], text=tujuan_data["text"])
        for sasaran_data in tujuan_data["sasaran"]:
            sasaran_by_code[sasaran_data["code"]] = RenstraSasaran.objects.create(
                tujuan=tujuan, code=sasaran_data["code"], text=sasaran_data["text"], rpjmd_sasaran=rpjmd_sasaran[sasaran_data["rpjmd_sasaran"]]
            )
    for program_data in data["programs"]:
        program = services.save_renstra_element(
            ADMIN, RenstraProgram(renstra=renstra, sasaran=sasaran_by_code[program_data["sasaran"]], program=nomenclature.get(Program, program_data["program"]))
        )
        _indicators(program_data.get("indicators", []), period.years, renstra_program=program)
        for kegiatan_data in program_data["kegiatan"]:
            kegiatan = services.save_renstra_element(ADMIN, RenstraKegiatan(renstra_program=program, kegiatan=nomenclature.get(Kegiatan, kegiatan_data["kegiatan"])))
            for code in kegiatan_data["sub_kegiatan"]:
                services.save_renstra_element(ADMIN, RenstraSubKegiatan(renstra_kegiatan=kegiatan, sub_kegiatan=nomenclature.get(SubKegiatan, code)))


def _renja(data, nomenclature):
    unit = PerangkatDaerah.objects.get(code=data["perangkat_daerah"])
    renja = services.get_or_create_renja(ADMIN, unit, data["year"])
    for row_data in data["rows"]:
        row = RenjaRow(
            renja=renja, sub_kegiatan=nomenclature.get(SubKegiatan, row_data["sub_kegiatan"]),
            target_group=row_data["target_group"], prakiraan_maju_amount=Decimal(row_data["prakiraan_maju"]),
        )
        services.save_renja_row(
            ADMIN, row,
            pendanaan=[(SumberDana.objects.get(code=code), Decimal(amount)) for code, amount in row_data["pendanaan"].items()],
            lokasi=[(Wilayah.objects.get(code=code), "") for code in row_data["lokasi"]] or [(None, "")],
        )
        for order, (level, (text, satuan, target, next_target)) in enumerate(row_data["indicators"].items(), start=1):
            indicator = Indicator.objects.create(renja_row=row, level=level, text=text, satuan=satuan, order=order)
            IndicatorTarget.objects.bulk_create([
                IndicatorTarget(indicator=indicator, year=renja.year, value=target),
                IndicatorTarget(indicator=indicator, year=renja.year + 1, value=next_target),
            ])
    if data["is_published"]:
        services.set_published(ADMIN, renja)
