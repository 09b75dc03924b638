import json
import pytest

Q = """
query($year: Int!) {
  rkpd(year: $year) { year theme priorities { order name } totalPagu rowCount
    byUrusan { code name totalPagu rowCount } byBidangUrusan { code name totalPagu rowCount }
    byProgram { code name totalPagu rowCount } byPerangkatDaerah { code name totalPagu rowCount }
    bySumberDana { code name totalPagu rowCount } byKecamatan { code name totalPagu rowCount } }
  renjaList(filters: {year: $year}) { totalCount results { year isPublished perangkatDaerah { code }
    rows { totalCount results { code paguIndikatif subKegiatan { code } lokasiList { description wilayah { code parent { code } } }
      pendanaanList { pagu sumberDana { code } } indicators { level text targets { year value } } } } } }
  planningPeriods { results { name misiList { results { tujuanList { results { sasaranList { results { code indicators { text targets { year value } } strategiList { text } } } } } } }
    renstraList { results { perangkatDaerah { code } } } } }
  renstraList { results { perangkatDaerah { code } period { name } programList { results { code kegiatanList { results { code subKegiatanList { results { code } } } } } } }
    tujuanList { results { sasaranList { results { code rpjmdSasaran { code } } } } } } }
}
"""

@pytest.mark.parametrize("who", ["public", "session:admin", "token:dinkes"])
def test_smoke(ask, plans, who, django_assert_max_num_queries):
    body = ask(who, Q, year=2026)
    print(who, json.dumps(body, indent=1))
    assert 0
