"""Tiny synthetic data directories in the publishers' formats, for hand-computed tests."""

from __future__ import annotations

from pathlib import Path

DOTS_HEADER = "reporter,sheet,unit,partner,2018,2019"


def write(root: Path, rel: str, text: str) -> Path:
    """Write ``text`` to ``root/rel`` (folders created)."""
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text)
    return p


def dots_csv(rows: list[tuple[str, str, str, str, str]]) -> str:
    """rows: (reporter, sheet, partner, v2018, v2019)."""
    lines = [DOTS_HEADER]
    for rep, sheet, partner, a, b in rows:
        lines.append(f'"{rep}","{sheet}","US Dollars, Millions","{partner}",{a},{b}')
    return "\n".join(lines) + "\n"


def make_tiny(root: Path) -> Path:
    """A small data directory with every dataset the first-half indicators read.

    Japan 2019 (US$ m): exports World 100, USA 20, China 30, Korea 10, Advanced Economies 60
    (aggregate, ignored); imports World 200 (as "1,0 0.0"-free plain numbers), USA 40,
    China "50 e" (IMF estimate flag), Korea 10, "Countries & Areas not specified" 5.
    """
    X, M = "Exports, FOB", "Imports, CIF"
    write(root, "imf_dots/imf_dots_goods_trade_by_partner_1960_2020.csv", dots_csv([
        ("Japan", X, "World", "90", "100"),
        ("Japan", X, "United States", "18", "20"),
        ("Japan", X, "China, P.R.: Mainland", "27", "30"),
        ("Japan", X, "Korea, Rep. of", "9", "10"),
        ("Japan", X, "Advanced Economies", "50", "60"),
        ("Japan", M, "World", '"1,000.0"', "200"),
        ("Japan", M, "United States", "400", "40"),
        ("Japan", M, "China, P.R.: Mainland", "100", '"50 e"'),
        ("Japan", M, "Korea, Rep. of", "", "10"),
        ("Japan", M, "Countries & Areas not specified", "1", "5"),
    ]))
    write(root, "worldbank_wdi/gdp_current_usd.csv",
          "Country Name,Country Code,Year,Value\n"
          "Japan,JPN,2019,1000000000\nUnited States,USA,2019,4000000000\n"
          "China,CHN,2019,2000000000\nWorld,WLD,2019,90000000000\n")
    write(root, "worldbank_wdi/population_total.csv",
          "Country Name,Country Code,Year,Value\nJapan,JPN,2019,100\n")
    # COW trade: ndy (flow1 = imports of ccode1 from ccode2); Germany 255 and 260 both in 1990
    write(root, "cow_trade/cow_trade_ndy_v4.csv",
          "ccode1,ccode2,year,flow1,flow2,smoothflow1,smoothflow2\n"
          "2,740,1950,30,10,30,10\n"
          "710,740,1950,5,2,5,2\n"
          "255,740,1990,7,,7,\n"
          "260,740,1990,,3,,3\n")
    write(root, "cow_trade/cow_trade_sy_v4.csv",
          "ccode,year,imports,exports\n740,1950,100,50\n2,1950,500,400\n255,1990,100,100\n260,1990,,\n")
    write(root, "cow_nmc/cow_nmc_v7.csv",
          "ccode,year,milex,milper,irst,pec,tpop,upop,cinc\n"
          "740,2019,10000,247,1,1,1,1,0.03\n740,1900,5,1,1,1,1,1,0.02\n"
          "255,1990,37200000,545,1,,1,1,0.0293\n260,1990,35610000,545,1,366237,1,1,0.0277\n")
    # ATOP: US pledges to defend Japan; Japan only nonaggression/consultation
    write(root, "alliances_atop/atop_alliance_v5_1_ddy.csv",
          "ccode1,ccode2,year,atop_defense,atop_offense,atop_neutral,atop_nonagg,atop_consul\n"
          "2,200,1900,0,0,0,0,1\n2,740,2017,1,0,0,1,1\n740,2,2017,0,0,0,1,1\n2,740,2018,1,0,0,1,1\n740,2,2018,0,0,0,1,1\n"
          "710,365,2018,0,0,0,1,1\n")
    write(root, "cow_states/cow_states_2016.csv",
          "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version\n"
          "USA,2,United States of America,1816,1,1,2016,12,31,2016\n"
          "CHN,710,China,1950,1,1,2016,12,31,2016\n"
          "JPN,740,Japan,1952,4,28,2016,12,31,2016\n"
          "RUS,365,Russia,1816,1,1,2016,12,31,2016\n")
    # SIPRI: fractions with markers
    write(root, "sipri_milex/sipri_milex_share_of_gdp.csv",
          "Country,Notes,2018,2019\nJapan,,0.0093,0.0099\nChina,,...,0.0170\nUSSR,,xxx,xxx\n")
    write(root, "sipri_milex_owid/military-spending-as-a-share-of-gdp-sipri_subset.csv",
          "Entity,Code,Year,Military expenditure (% of GDP),World region according to OWID\n"
          "Japan,JPN,2019,1.1,Asia\nJapan,JPN,2020,1.3,Asia\n")
    write(root, "sipri_arms_transfers/sipri_trade_register_deliveries_1995_2024_recipients_subset.csv",
          "SIPRI AT Database ID,Supplier,Recipient,Designation,Description,Armament category,Order date,"
          "Order date is estimate,Numbers delivered,Numbers delivered is estimate,Delivery year,"
          "Delivery year is estimate,Status,SIPRI estimate,TIV deal unit,TIV delivery values,Local production\n"
          "1,United States,Japan,F-35A,FGA aircraft,Aircraft,2012,No,2,No,2019,No,New,40,40,80,No\n"
          "2,United Kingdom,Japan,X,missile,Missiles,2015,No,10,Yes,2019,Yes,New,1,1,10,No\n"
          "3,unknown supplier(s),Japan,Y,radar,Sensors,2016,Yes,1,Yes,2019,No,New,10,10,10,No\n"
          "4,United States,Japan,F-35A,FGA aircraft,Aircraft,2012,No,1,No,2020,No,New,40,40,40,No\n")
    return root
