"""Month names of the languages whose pages print a date with its month's name, beyond the
seven ``cleaners.metadata.dates.calendar_words._MONTHS`` writes by hand: the Unicode CLDR's (as the
``babel`` package carries them; ``tests/cleaners/metadata/test_cleaners_month_names.py`` checks this
table against it), lower case, per month
its format and stand-alone names, wide and abbreviated, without an abbreviation's dot ("5 марта
2024", "5. března 2024", "5 Mart 2024", "5 Μαρτίου 2024", "5 مارس 2024", Hebrew's "5 במרץ 2024"
with its prefix). ``CLDR_MONTHS``' languages print the day before its month's name (CLDR's long
date "d MMMM y"), ``CLDR_MONTHS_YEAR_FIRST``'s the year, then the month and the day (Hungarian
"2024. március 5.", Lithuanian "2024 m. kovo 5 d."): a date of theirs is read in that order only.
Kept as data, not read from babel at import: loading 34 locales costs ~0.4 s a process. Left
out: names of fewer than three letters, names with a digit or a space (Chinese, Japanese, Korean
and Vietnamese print months as numbers), Latvian's locative ("2024. gada 5. martā": CLDR has the
nominative "5. marts" only), and the words that
name one month in one language and another in another ("listopad": October in Croatian,
November in Czech and Polish; "lip", "lis", "srp"): ``AMBIGUOUS_MONTHS`` holds them, read by the
page's declared language only.
"""
from __future__ import annotations

#: By CLDR locale: January to December, each a space-separated row of its spellings.
CLDR_MONTHS: dict[str, tuple[str, ...]] = {
    "ru": (
        "января янв январь", "февраля февр февраль", "марта мар март", "апреля апр апрель", "мая май",
        "июня июн июнь", "июля июл июль", "августа авг август", "сентября сент сентябрь",
        "октября окт октябрь", "ноября нояб ноябрь", "декабря дек декабрь"),
    "uk": (
        "січня січ січень", "лютого лют лютий", "березня бер березень", "квітня квіт квітень",
        "травня трав травень", "червня черв червень", "липня лип липень", "серпня серп серпень",
        "вересня вер вересень", "жовтня жовт жовтень", "листопада лист листопад", "грудня груд грудень"),
    "be": (
        "студзеня сту студзень", "лютага лют люты", "сакавіка сак сакавік", "красавіка кра красавік",
        "мая май", "чэрвеня чэр чэрвень", "ліпеня ліп ліпень", "жніўня жні жнівень", "верасня вер верасень",
        "кастрычніка кас кастрычнік", "лістапада ліс лістапад", "снежня сне снежань"),
    "bg": (
        "януари яну", "февруари фев", "март", "април апр", "май", "юни", "юли", "август авг", "септември сеп",
        "октомври окт", "ноември ное", "декември дек"),
    "sr": (
        "јануар јан", "фебруар феб", "март мар", "април апр", "мај", "јун", "јул", "август авг",
        "септембар сеп", "октобар окт", "новембар нов", "децембар дец"),
    "sr_Latn": (
        "januar jan", "februar feb", "mart mar", "april apr", "maj", "jun", "jul", "avgust avg",
        "septembar sep", "oktobar okt", "novembar nov", "decembar dec"),
    "mk": (
        "јануари јан", "февруари фев", "март мар", "април апр", "мај", "јуни јун", "јули јул", "август авг",
        "септември сеп", "октомври окт", "ноември ное", "декември дек"),
    "hr": (
        "siječnja sij siječanj", "veljače velj veljača", "ožujka ožu ožujak", "travnja tra travanj",
        "svibnja svi svibanj", "lipnja lipanj", "srpnja srpanj", "kolovoza kol kolovoz", "rujna ruj rujan", "",
        "studenoga stu studeni", "prosinca pro prosinac"),
    "bs": (
        "januar jan", "februar feb", "mart mar", "april apr", "maj", "juni jun", "juli jul", "august aug",
        "septembar sep", "oktobar okt", "novembar nov", "decembar dec"),
    "sl": (
        "januar jan", "februar feb", "marec mar", "april apr", "maj", "junij jun", "julij jul", "avgust avg",
        "september sep", "oktober okt", "november nov", "december dec"),
    "cs": (
        "ledna led leden", "února úno únor", "března bře březen", "dubna dub duben", "května kvě květen",
        "června čvn červen", "července čvc červenec", "srpna srpen", "září zář", "října říj říjen",
        "listopadu", "prosince pro prosinec"),
    "sk": (
        "januára jan január", "februára feb február", "marca mar marec", "apríla apr apríl", "mája máj",
        "júna jún", "júla júl", "augusta aug august", "septembra sep september", "októbra okt október",
        "novembra nov november", "decembra dec december"),
    "pl": (
        "stycznia sty styczeń", "lutego lut luty", "marca mar marzec", "kwietnia kwi kwiecień", "maja maj",
        "czerwca cze czerwiec", "lipca lipiec", "sierpnia sie sierpień", "września wrz wrzesień",
        "października paź październik", "", "grudnia gru grudzień"),
    "el": (
        "ιανουαρίου ιαν ιανουάριος", "φεβρουαρίου φεβ φεβρουάριος", "μαρτίου μαρ μάρτιος μάρ",
        "απριλίου απρ απρίλιος", "μαΐου μαΐ μάιος μάι", "ιουνίου ιουν ιούνιος ιούν",
        "ιουλίου ιουλ ιούλιος ιούλ", "αυγούστου αυγ αύγουστος αύγ", "σεπτεμβρίου σεπ σεπτέμβριος",
        "οκτωβρίου οκτ οκτώβριος", "νοεμβρίου νοε νοέμβριος νοέ", "δεκεμβρίου δεκ δεκέμβριος"),
    "tr": (
        "ocak oca", "şubat şub", "mart mar", "nisan nis", "mayıs may", "haziran haz", "temmuz tem",
        "ağustos ağu", "eylül eyl", "ekim eki", "kasım kas", "aralık ara"),
    "az": (
        "yanvar yan", "fevral fev", "mart mar", "aprel apr", "may", "iyun iyn", "iyul iyl", "avqust avq",
        "sentyabr sen", "oktyabr okt", "noyabr noy", "dekabr dek"),
    "ar": (
        "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر",
        "ديسمبر"),
    "fa": (
        "ژانویه", "فوریه", "مارس", "آوریل", "", "ژوئن", "ژوئیه", "اوت", "سپتامبر", "اکتبر", "نوامبر", "دسامبر"),
    "ro": (
        "ianuarie ian", "februarie feb", "martie mar", "aprilie apr", "mai", "iunie iun", "iulie iul",
        "august aug", "septembrie sept", "octombrie oct", "noiembrie nov", "decembrie dec"),
    "sv": (
        "januari jan", "februari feb", "mars", "april apr", "maj", "juni", "juli", "augusti aug",
        "september sep", "oktober okt", "november nov", "december dec"),
    "da": (
        "januar jan", "februar feb", "marts mar", "april apr", "maj", "juni jun", "juli jul", "august aug",
        "september sep", "oktober okt", "november nov", "december dec"),
    "nb": (
        "januar jan", "februar feb", "mars mar", "april apr", "mai", "juni jun", "juli jul", "august aug",
        "september sep", "oktober okt", "november nov", "desember des"),
    "nn": (
        "januar jan", "februar feb", "mars mar", "april apr", "mai", "juni jun", "juli jul", "august aug",
        "september sep", "oktober okt", "november nov", "desember des"),
    "is": (
        "janúar jan", "febrúar feb", "mars mar", "apríl apr", "maí", "júní jún", "júlí júl", "ágúst ágú",
        "september sep", "október okt", "nóvember nóv", "desember des"),
    "fi": (
        "tammikuuta tammi tammikuu", "helmikuuta helmi helmikuu", "maaliskuuta maalis maaliskuu",
        "huhtikuuta huhti huhtikuu", "toukokuuta touko toukokuu", "kesäkuuta kesä kesäkuu",
        "heinäkuuta heinä heinäkuu", "elokuuta elo elokuu", "syyskuuta syys syyskuu", "lokakuuta loka lokakuu",
        "marraskuuta marras marraskuu", "joulukuuta joulu joulukuu"),
    "et": (
        "jaanuar jaan", "veebruar veebr", "märts", "aprill apr", "mai", "juuni", "juuli", "august aug",
        "september sept", "oktoober okt", "november nov", "detsember dets"),
    "id": (
        "januari jan", "februari feb", "maret mar", "april apr", "mei", "juni jun", "juli jul", "agustus agu",
        "september sep", "oktober okt", "november nov", "desember des"),
    "ms": (
        "januari jan", "februari feb", "mac", "april apr", "mei", "jun", "julai jul", "ogos ogo",
        "september sep", "oktober okt", "november nov", "disember dis"),
    "ca": (
        "gener gen", "febrer febr", "març", "abril abr", "maig", "juny", "juliol jul", "agost", "setembre set",
        "octubre oct", "novembre nov", "desembre des"),
    "gl": (
        "xaneiro xan", "febreiro feb", "marzo mar", "abril abr", "maio", "xuño", "xullo xul", "agosto ago",
        "setembro set", "outubro out", "novembro nov", "decembro dec"),
    "sq": (
        "janar jan", "shkurt shk", "mars mar", "prill pri", "maj", "qershor qer", "korrik korr", "gusht gush",
        "shtator sht", "tetor tet", "nëntor nën", "dhjetor dhj"),
    "he": (
        "ינואר", "פברואר", "מרץ", "אפריל", "מאי", "יוני", "יולי", "אוגוסט", "ספטמבר", "אוקטובר", "נובמבר",
        "דצמבר"),
    "lv": (
        "janvāris janv", "februāris febr", "marts", "aprīlis apr", "maijs", "jūnijs jūn", "jūlijs jūl",
        "augusts aug", "septembris sept", "oktobris okt", "novembris nov", "decembris dec"),
}

#: The languages that print the year first ("y. MMMM d."), as ``CLDR_MONTHS``.
CLDR_MONTHS_YEAR_FIRST: dict[str, tuple[str, ...]] = {
    "hu": (
        "január jan", "február febr", "március márc", "április ápr", "május máj", "június jún", "július júl",
        "augusztus aug", "szeptember szept", "október okt", "november nov", "december dec"),
    "lt": (
        "sausio saus sausis", "vasario vas vasaris", "kovo kov kovas", "balandžio bal balandis",
        "gegužės geg gegužė", "birželio birž birželis", "liepos liep liepa", "rugpjūčio rugp rugpjūtis",
        "rugsėjo rugs rugsėjis", "spalio spal spalis", "lapkričio lapkr lapkritis", "gruodžio gruod gruodis"),
}

#: The words that name one month in one language of the tables and another in another, by
#: language: which month each names there.
AMBIGUOUS_MONTHS: dict[str, dict[str, int]] = {
    "lip": {"hr": 6, "pl": 7},
    "lis": {"hr": 10, "cs": 11, "pl": 11},
    "listopad": {"hr": 10, "cs": 11, "pl": 11},
    "listopada": {"hr": 10, "pl": 11},
    "srp": {"hr": 7, "cs": 8},
}


#: Weekday names of the same languages (and Latvian), from the same source (the CLDR's, as babel
#: carries them; ``tests/cleaners/metadata/test_cleaners_month_names.py`` checks it): by locale, lower case, the
#: format and stand-alone wide names of Monday to Sunday, each once; names of a space (Azerbaijani
#: "bazar ertəsi", Albanian "e hënë", Hebrew "יום שני") as written. A byline prints one before
#: its date ("понедельник, 5 марта 2024", "Jan Novák, pátek 5. března 2024"): what the byline
#: reader drops with the date, beside the seven languages
#: ``cleaners.metadata.dates.calendar_words._WEEKDAYS`` writes.
CLDR_WEEKDAYS: dict[str, tuple[str, ...]] = {
    "ru": ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"),
    "uk": ("понеділок", "вівторок", "середа", "четвер", "пʼятниця", "субота", "неділя"),
    "be": ("панядзелак", "аўторак", "серада", "чацвер", "пятніца", "субота", "нядзеля"),
    "bg": ("понеделник", "вторник", "сряда", "четвъртък", "петък", "събота", "неделя"),
    "sr": ("понедељак", "уторак", "среда", "четвртак", "петак", "субота", "недеља"),
    "sr_Latn": ("ponedeljak", "utorak", "sreda", "četvrtak", "petak", "subota", "nedelja"),
    "mk": ("понеделник", "вторник", "среда", "четврток", "петок", "сабота", "недела"),
    "hr": ("ponedjeljak", "utorak", "srijeda", "četvrtak", "petak", "subota", "nedjelja"),
    "bs": ("ponedjeljak", "utorak", "srijeda", "četvrtak", "petak", "subota", "nedjelja"),
    "sl": ("ponedeljek", "torek", "sreda", "četrtek", "petek", "sobota", "nedelja"),
    "cs": ("pondělí", "úterý", "středa", "čtvrtek", "pátek", "sobota", "neděle"),
    "sk": ("pondelok", "utorok", "streda", "štvrtok", "piatok", "sobota", "nedeľa"),
    "pl": ("poniedziałek", "wtorek", "środa", "czwartek", "piątek", "sobota", "niedziela"),
    "el": ("δευτέρα", "τρίτη", "τετάρτη", "πέμπτη", "παρασκευή", "σάββατο", "κυριακή"),
    "tr": ("pazartesi", "salı", "çarşamba", "perşembe", "cuma", "cumartesi", "pazar"),
    "az": ("bazar ertəsi", "çərşənbə axşamı", "çərşənbə", "cümə axşamı", "cümə", "şənbə", "bazar"),
    "ar": ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"),
    "fa": ("دوشنبه", "چهارشنبه", "پنجشنبه", "جمعه", "شنبه", "یکشنبه"),
    "ro": ("luni", "marți", "miercuri", "joi", "vineri", "sâmbătă", "duminică"),
    "sv": ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"),
    "da": ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"),
    "nb": ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"),
    "nn": ("måndag", "tysdag", "onsdag", "torsdag", "fredag", "laurdag", "søndag"),
    "is": ("mánudagur", "þriðjudagur", "miðvikudagur", "fimmtudagur", "föstudagur", "laugardagur", "sunnudagur"),
    "fi": ("maanantaina", "tiistaina", "keskiviikkona", "torstaina", "perjantaina", "lauantaina", "sunnuntaina",
           "maanantai", "tiistai", "keskiviikko", "torstai", "perjantai", "lauantai", "sunnuntai"),
    "et": ("esmaspäev", "teisipäev", "kolmapäev", "neljapäev", "reede", "laupäev", "pühapäev"),
    "id": ("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu"),
    "ms": ("isnin", "selasa", "rabu", "khamis", "jumaat", "sabtu", "ahad"),
    "ca": ("dilluns", "dimarts", "dimecres", "dijous", "divendres", "dissabte", "diumenge"),
    "gl": ("luns", "martes", "mércores", "xoves", "venres", "sábado", "domingo"),
    "sq": ("e hënë", "e martë", "e mërkurë", "e enjte", "e premte", "e shtunë", "e diel"),
    "he": ("יום שני", "יום שלישי", "יום רביעי", "יום חמישי", "יום שישי", "יום שבת", "יום ראשון"),
    "lv": ("pirmdiena", "otrdiena", "trešdiena", "ceturtdiena", "piektdiena", "sestdiena", "svētdiena"),
    "hu": ("hétfő", "kedd", "szerda", "csütörtök", "péntek", "szombat", "vasárnap"),
    "lt": ("pirmadienis", "antradienis", "trečiadienis", "ketvirtadienis", "penktadienis", "šeštadienis",
           "sekmadienis"),
}
