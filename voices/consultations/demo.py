"""Demo consultations: one per programme country, each in another phase, with proposals,
supports, threaded comments, answers and a little moderation, in the local language and English.

Writes go through the services wherever the consultation's phase still allows them, so the demo
only holds what the rules let through; where the phase is over (proposals of a consultation now
in its answers phase) they go through the models, keeping what the services keep: a participant
row for everyone who took part, supports counted on the proposal, threads and depths of replies.
Dates are then moved back to when each thing would have happened. Owners with nobody on Voices
(most demo authorities) are run by the programme coordinator, whom the rules allow to act for
any owner. Every participant appears under a pseudonym; real names are never used.
"""

import datetime
import hashlib

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils import timezone

from voices.accounts.models import Role, RoleGrant, User
from voices.core import moderation
from voices.core.models import ModerationDecision, ModerationState, Report
from voices.core.translation import TranslatedText
from voices.councils.demo import PSEUDONYMS
from voices.councils.models import Council, PolicyDomain
from voices.directory.models import Country, Municipality, Organisation

from . import services
from .eligibility import needs_residence_declaration
from .models import PHASE_STARTS, Action, Comment, Consultation, Participant, Proposal, Support

DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)

# Residents who take part without sitting on a council (`<country>-resident-<n>`).
RESIDENTS = ["Kestrel", "Juniper", "Pebble", "Comet", "Fern", "Birch", "Heron", "Maple"]
# Their ages this year where a consultation has an age range (Bucharest: 18 to 35).
AGES = [22, 27, 20, 31, 24, 29, 33, 21]

FOR, AGAINST, NEUTRAL = Comment.Stance.IN_FAVOUR, Comment.Stance.AGAINST, Comment.Stance.NEUTRAL
ACCEPTED, EVALUATING = Proposal.Answer.ACCEPTED, Proposal.Answer.EVALUATING
NOT_ACCEPTED, MERGED = Proposal.Answer.NOT_ACCEPTED, Proposal.Answer.MERGED

# Each consultation, keyed by its English title (running the seeder again skips it).
# people: m1..m8 members of the country's council, r1..r8 residents, a1..aN browsers without an
# account, and demo logins by username. proposals: (author, language, title, body, supports).
# comments: (on, author, stance, language, body), where `on` is "pN" for proposal N, "cN" for a
# reply to comment N (both counted from 1) or "" for the consultation itself.
# answers: (answer, proposal merged into or None, local text, English text), one per proposal.
CONSULTATIONS = [
    {
        "country": "AT",
        "owner": ("organisation", "at-city"),
        "domain": "education",
        "languages": ["de", "en", "uk", "ar"],
        # Days from today on which information, contributions, deliberation, answers and the
        # closed phase start.
        "days": (-20, -10, 50, 70, 100),
        "title": (
            "Deutschkurse am Abend und am Wochenende",
            "German courses in the evening and at weekends",
        ),
        "question": (
            "Wie sollen Deutschkurse aussehen, damit auch Menschen mit Arbeit und Kindern "
            "teilnehmen können?",
            "What should German courses look like so that people with jobs and children can "
            "take part too?",
        ),
        "background": (
            "Die Stadt Wien plant für das nächste Jahr 40 zusätzliche Kursgruppen. Viele Kurse "
            "finden heute vormittags statt, wenn Berufstätige und Eltern kleiner Kinder keine "
            "Zeit haben. Ihre Vorschläge fließen in die Ausschreibung der neuen Kurse ein.",
            "The City of Vienna is planning 40 additional course groups for next year. Many "
            "courses take place in the morning today, when working people and parents of small "
            "children have no time. Your proposals will shape the call for tenders for the new "
            "courses.",
        ),
        "named": ["dmytro"],
        "proposals": [
            ("r1", "de", "Kurse ab 18 Uhr in jedem Bezirk",
             "Viele von uns arbeiten bis 17 Uhr. Kurse, die um 18 oder 18:30 Uhr beginnen und "
             "höchstens eine halbe Stunde von zu Hause entfernt sind, würden sehr helfen.", 9),
            ("dmytro", "uk", "Кімната для дітей під час занять",
             "Багато матерів не можуть прийти на курс, бо дітей нема з ким залишити. Просимо "
             "організувати догляд за дітьми в тому ж будинку, де проходять заняття.", 7),
            ("m2", "de", "Kurse am Samstagvormittag",
             "Für Menschen im Schichtdienst oder in der Gastronomie sind Abende schwierig. Ein "
             "Kurs am Samstagvormittag wäre für sie die einzige Möglichkeit.", 5),
            ("r3", "en", "An online option for the weeks you cannot come",
             "Sometimes work or a sick child stops us from attending. If each class were also "
             "streamed, or recorded for a week, we would not fall behind.", 4),
            ("m5", "de", "Fachsprache für Pflege und Handwerk",
             "Neben allgemeinen Kursen braucht es Kurse mit dem Wortschatz bestimmter Berufe, "
             "zum Beispiel Pflege, Elektrotechnik oder Gastronomie. Das hilft direkt bei der "
             "Arbeitssuche.", 6),
            ("r5", "de", "Kursbuch und Fahrschein gratis",
             "Ein Kursbuch kostet oft 30 Euro. Wer wenig verdient, überlegt sich das zweimal. "
             "Bitte Bücher zum Ausleihen anbieten und die Fahrt zum Kurs mit einer Wochenkarte "
             "abdecken.", 3),
            ("r2", "en", "Conversation groups with volunteers from the neighbourhood",
             "Classes teach grammar, but we need to practise speaking. Weekly conversation cafés "
             "with volunteers from the neighbourhood would help us use what we learn.", 2),
            ("m7", "de", "Anmeldung ohne lange Wartezeit",
             "Im Moment wartet man oft drei Monate auf einen Kursplatz. Eine gemeinsame "
             "Online-Anmeldung für alle Anbieter würde zeigen, wo noch Plätze frei sind.", 0),
        ],
        "comments": [
            ("p1", "m3", FOR, "de",
             "Ja! Ich arbeite im Supermarkt bis 17:30 Uhr. Ein Kurs um 18:30 Uhr wäre für mich "
             "machbar."),
            ("c1", "r4", NEUTRAL, "de",
             "18:30 Uhr ist gut, aber dann sollte der Kurs um 20:30 Uhr enden, sonst wird es mit "
             "den Kindern schwierig."),
            ("c2", "r1", FOR, "de",
             "Einverstanden, zwei Stunden sind genug. @Pebble, wie ist das in deinem Kurs "
             "gelöst?"),
            ("p2", "r6", FOR, "de",
             "Kinderbetreuung ist der wichtigste Punkt. Ohne sie schaffen es viele Mütter gar "
             "nicht in den Kurs."),
            ("c4", "dmytro", FOR, "uk",
             "Дякую! Саме так: у нашому будинку п’ять мам чекають на таку можливість."),
            ("p4", "m4", AGAINST, "de",
             "Online lernt man schlechter sprechen. Ich würde das Geld lieber in mehr Kurse vor "
             "Ort stecken."),
            ("c6", "r3", NEUTRAL, "en",
             "I agree that classes in person are better. The online option is only meant for the "
             "weeks when we really cannot come."),
            ("", "m8", AGAINST, "de",
             "Es gibt schon genug Kurse. Wer wirklich Deutsch lernen will, schafft das auch ohne "
             "noch mehr Steuergeld."),
            ("", "r7", NEUTRAL, "de",
             "Günstige Zimmer ohne Kaution, sofort frei! Meldet euch unter "
             "www.example.com/zimmer-wien"),
        ],
        # A report below the threshold: the comment stays visible until a moderator looks.
        "report": (8, "r1", Report.Reason.OTHER,
                   "Das klingt abwertend gegenüber Leuten, die zwei Jobs haben."),
        "hide": (9, ["r2", "m1"],
                 "Werbung für ein privates Angebot, die nichts mit dieser Konsultation zu tun "
                 "hat."),
    },
    {
        "country": "BG",
        "owner": ("organisation", "bg-city"),
        "domain": "employment",
        "languages": ["bg", "en", "ar", "uk"],
        "days": (-4, 24, 80, 100, 130),
        "title": ("Признаване на дипломи и квалификации",
                  "Recognition of diplomas and qualifications"),
        "question": (
            "Как общината може да помогне на хората с образование от чужбина да работят по "
            "своята професия?",
            "How can the municipality help people educated abroad to work in their profession?",
        ),
        "background": (
            "Много бежанци и мигранти в София имат дипломи на медицински сестри, инженери или "
            "учители, но работят на места, които не отговарят на квалификацията им. Процедурата "
            "по признаване е дълга и скъпа. Скоро ще можете да правите предложения; дотогава тук "
            "ще намерите информация за сегашната процедура и разходите по нея.",
            "Many refugees and migrants in Sofia hold diplomas as nurses, engineers or teachers "
            "but work in jobs below their qualifications. Recognition takes long and costs a "
            "lot. Proposals open soon; until then you will find information here about today's "
            "procedure and its costs.",
        ),
        "proposals": [],
    },
    {
        "country": "FR",
        "owner": ("council", "fr-council"),
        "domain": "housing",
        "languages": ["fr", "en", "ar"],
        "days": (-75, -65, -12, 40, 75),
        "title": ("Se loger à Lyon : dépôt de garantie et premier logement",
                  "Finding a home in Lyon: deposits and a first flat"),
        "question": (
            "Quelles aides le conseil doit-il demander à la Ville pour que les personnes "
            "nouvellement arrivées trouvent un premier logement ?",
            "Which support should the council ask the City for, so that newcomers find a first "
            "home?",
        ),
        "background": (
            "Le Conseil des migrants de Lyon prépare une recommandation à la Ville sur le "
            "logement. Beaucoup de personnes n'ont ni garant ni historique de location en "
            "France, et le dépôt de garantie représente souvent un mois de loyer. Les "
            "propositions les plus soutenues seront discutées à la prochaine réunion du conseil.",
            "The Lyon Migrant Council is preparing a recommendation to the City on housing. Many "
            "people have neither a guarantor nor a rental history in France, and the deposit is "
            "often a month's rent. The most supported proposals will be discussed at the "
            "council's next meeting.",
        ),
        "named": ["amina"],
        "staff": ["facilitator"],
        "proposals": [
            ("amina", "ar", "صندوق لتسبيق مبلغ التأمين",
             "كثير من العائلات لا تستطيع دفع مبلغ التأمين دفعة واحدة. نقترح أن تدفع المدينة "
             "التأمين مقدماً، ثم يُسدَّد على أقساط صغيرة كل شهر.", 8),
            ("m1", "fr", "Une garantie de la Ville pour les locataires sans garant",
             "Les propriétaires demandent un garant qui vit en France. La Ville pourrait se "
             "porter garante pendant la première année du bail.", 7),
            ("r2", "fr", "Un guichet logement avec des interprètes",
             "Les annonces, les baux et les états des lieux sont difficiles à comprendre. Un "
             "guichet une fois par semaine, avec des interprètes en arabe, en dari et en "
             "tigrigna, aiderait à éviter les arnaques.", 6),
            ("r4", "en", "A list of landlords who welcome newcomers",
             "Some landlords are open to renting to refugees but do not know how to reach them. "
             "The council could keep a list of such landlords and introduce tenants with a short "
             "reference letter.", 4),
            ("m3", "fr", "Colocation accompagnée pour les jeunes",
             "Les jeunes de 18 à 25 ans pourraient partager de grands appartements avec l'appui "
             "d'une association, qui signe le bail et aide en cas de conflit.", 3),
            ("r6", "fr", "Des ateliers sur les droits des locataires",
             "Beaucoup ne savent pas qu'un propriétaire doit rendre le dépôt de garantie dans un "
             "délai d'un ou deux mois. Des ateliers courts, en plusieurs langues, éviteraient "
             "des pertes d'argent.", 2),
            ("r7", "en", "Rooms for families in their first weeks",
             "Families who have just arrived sometimes sleep in stations while they wait for a "
             "place. A few rooms kept free for up to four weeks would bridge that gap.", 1),
        ],
        "comments": [
            ("p1", "m2", FOR, "fr",
             "Très bonne idée. Un remboursement sur dix ou douze mois serait réaliste pour la "
             "plupart des familles."),
            ("c1", "amina", FOR, "fr",
             "Merci ! Oui, et sans intérêts, sinon cela n'aide personne."),
            ("p2", "r5", NEUTRAL, "fr",
             "La Ville peut-elle vraiment se porter garante ? Il faudrait savoir ce que cela "
             "coûterait."),
            ("c3", "facilitator", NEUTRAL, "fr",
             "Bonne question : la Ville présentera ses chiffres à la réunion du conseil, et nous "
             "les publierons ici."),
            ("p4", "m6", AGAINST, "en",
             "A list could also be used to leave people out. I would rather see the city make "
             "sure that no landlord turns tenants away because of their origin."),
            ("c5", "r4", NEUTRAL, "en",
             "Fair point. The list would only go to tenants who ask for it, and anyone turned "
             "away because of their origin could tell the council."),
        ],
    },
    {
        "country": "GR",
        "owner": ("organisation", "gr-city"),
        "domain": "health",
        "languages": ["el", "en", "fa", "ar"],
        "days": (-130, -120, -70, -25, 45),
        "settings": {
            "eligibility": Consultation.Eligibility.RESIDENTS,
            "support_threshold": 8,
        },
        "title": ("Διερμηνείς στα δημοτικά ιατρεία", "Interpreters in the city's clinics"),
        "question": (
            "Τι χρειάζεται για να μπορεί κάθε ασθενής να μιλήσει με τον γιατρό σε μια γλώσσα "
            "που καταλαβαίνει;",
            "What is needed so that every patient can talk to the doctor in a language they "
            "understand?",
        ),
        "background": (
            "Ο Δήμος Αθηναίων λειτουργεί δημοτικά ιατρεία σε όλες τις δημοτικές κοινότητες. "
            "Πολλοί ασθενείς φέρνουν τα παιδιά τους για να μεταφράζουν, ακόμη και για σοβαρές "
            "διαγνώσεις. Ο Δήμος απαντά σε κάθε πρόταση και εξηγεί τι θα κάνει.",
            "The City of Athens runs clinics in all its districts. Many patients bring their "
            "children to interpret for them, even for serious diagnoses. The City answers every "
            "proposal and explains what it will do.",
        ),
        "named": ["reza"],
        "proposals": [
            ("reza", "fa", "مترجم تلفنی فارسی و دری در همه درمانگاه‌ها",
             "وقتی پزشک صحبت می‌کند و من نمی‌فهمم، نمی‌دانم دارو را چطور مصرف کنم. یک خط "
             "تلفن با مترجم که پزشک هر زمان بتواند با آن تماس بگیرد، کافی است.", 11),
            ("m1", "el", "Όχι πια παιδιά ως διερμηνείς",
             "Τα παιδιά δεν πρέπει να μεταφράζουν για τους γονείς τους στον γιατρό. Ακούν "
             "πράγματα που δεν πρέπει να ακούσουν και κάνουν λάθη. Ζητάμε σαφή κανόνα και μια "
             "εναλλακτική λύση σε κάθε ιατρείο.", 9),
            ("r2", "el", "Πολύγλωσσες πινακίδες και έντυπα",
             "Οι πινακίδες στα ιατρεία είναι μόνο στα ελληνικά. Απλές πινακίδες με εικονίδια και "
             "έντυπα σε πέντε γλώσσες θα βοηθούσαν όλους να βρουν τον δρόμο τους.", 6),
            ("r4", "en", "Trained community health mediators",
             "People from our own communities could be trained as health mediators: they "
             "explain appointments, vaccinations and prescriptions, and they know both "
             "cultures.", 5),
            ("m4", "el", "Εμβόλια για παιδιά που περιμένουν ΑΜΚΑ",
             "Πολλές οικογένειες περιμένουν μήνες για ΑΜΚΑ ή ΠΑΑΥΠΑ. Μέχρι τότε τα παιδιά τους "
             "δεν μπορούν να κλείσουν ραντεβού για εμβόλια στα δημοτικά ιατρεία.", 7),
            ("r6", "el", "Απογευματινές ώρες στα ιατρεία",
             "Πολλοί από εμάς δουλεύουμε το πρωί στις οικοδομές ή στον τουρισμό. Αν ένα ιατρείο "
             "σε κάθε κοινότητα έμενε ανοιχτό ως τις 20:00 δύο φορές την εβδομάδα, θα πηγαίναμε "
             "πριν αρρωστήσουμε σοβαρά.", 4),
            ("m6", "en", "A mobile clinic for the camps outside the city",
             "Many people live in camps outside Athens and cannot reach the city's clinics. A "
             "mobile clinic visiting every week would help them.", 3),
            ("r8", "el", "Ψυχολογική υποστήριξη στη μητρική γλώσσα",
             "Πολλοί άνθρωποι έχουν ζήσει πόλεμο και επικίνδυνα ταξίδια. Χρειάζονται ψυχολόγο "
             "που μιλά τη γλώσσα τους ή τουλάχιστον διερμηνέα στη συνεδρία.", 2),
        ],
        "comments": [
            ("p1", "m3", FOR, "el",
             "Συμφωνώ απόλυτα. Η μητέρα μου δεν κατάλαβε τη διάγνωσή της μέχρι που ήρθε ένας "
             "φίλος να μεταφράσει."),
            ("c1", "reza", FOR, "en",
             "Thank you. It happens to many of us; that is why a phone line would be so simple "
             "and useful."),
            ("p7", "r1", NEUTRAL, "el",
             "Καλή ιδέα, αλλά μπορεί ο Δήμος Αθηναίων να λειτουργήσει ιατρείο έξω από τα όριά "
             "του;"),
            ("p4", "r5", FOR, "el",
             "Οι διαμεσολαβητές κάνουν τεράστια διαφορά. Τους είδα να δουλεύουν σε άλλη πόλη."),
            ("c4", "m5", AGAINST, "el",
             "Δεν είμαι σίγουρος. Οι διαμεσολαβητές δεν είναι επαγγελματίες διερμηνείς, και στην "
             "υγεία ένα λάθος κοστίζει."),
        ],
        "answers": [
            (ACCEPTED, None,
             "Ο Δήμος θα ξεκινήσει γραμμή διερμηνείας μέσω τηλεφώνου στα φαρσί, νταρί, αραβικά "
             "και ουκρανικά σε όλα τα δημοτικά ιατρεία από την αρχή του επόμενου έτους.",
             "The City will start a telephone interpreting line in Persian, Dari, Arabic and "
             "Ukrainian in all its clinics from the start of next year."),
            (MERGED, 1,
             "Η πρόταση ενσωματώνεται στη γραμμή διερμηνείας: με αυτήν κανένα παιδί δεν θα "
             "χρειάζεται να μεταφράζει. Το προσωπικό θα ενημερωθεί για τον κανόνα.",
             "Merged into the telephone interpreting line: with it, no child will need to "
             "interpret. Staff will be told about the rule."),
            (ACCEPTED, None,
             "Νέες πινακίδες με εικονίδια και έντυπα στα ελληνικά, αγγλικά, αραβικά, φαρσί και "
             "ουκρανικά θα τοποθετηθούν μέσα στους επόμενους τρεις μήνες.",
             "New signs with pictograms, and leaflets in Greek, English, Arabic, Persian and "
             "Ukrainian, will be put up within the next three months."),
            (EVALUATING, None,
             "Εξετάζουμε μαζί με το Δίκτυο Ένταξης ένα πιλοτικό πρόγραμμα για δέκα "
             "διαμεσολαβητές υγείας. Θα απαντήσουμε οριστικά όταν εγκριθεί ο προϋπολογισμός.",
             "Together with the Integration Network, the City is looking at a pilot with ten "
             "health mediators. It will give a final answer once the budget is approved."),
            (NOT_ACCEPTED, None,
             "Το σύστημα ραντεβού είναι εθνικό και ο Δήμος δεν μπορεί να το αλλάξει. Τα "
             "δημοτικά ιατρεία όμως εμβολιάζουν ήδη παιδιά χωρίς ραντεβού κάθε Τετάρτη πρωί· θα "
             "το ανακοινώσουμε σε πέντε γλώσσες.",
             "The booking system is national and the City cannot change it. But the city's "
             "clinics already vaccinate children without an appointment every Wednesday "
             "morning; the City will announce this in five languages."),
            (EVALUATING, None,
             "Εξετάζουμε απογευματινό ωράριο σε δύο ιατρεία, πιλοτικά από την άνοιξη. Πρώτα "
             "χρειαζόμαστε το προσωπικό.",
             "The City is considering evening hours at two clinics as a pilot from the spring. "
             "It first needs the staff."),
            (NOT_ACCEPTED, None,
             "Οι δομές φιλοξενίας έξω από την Αθήνα δεν ανήκουν στην αρμοδιότητα του Δήμου. "
             "Διαβιβάσαμε την πρόταση στην Περιφέρεια Αττικής, που είναι αρμόδια.",
             "The camps outside Athens are not the City's responsibility. The City has passed "
             "the proposal on to the Region of Attica, which is responsible for them."),
            (ACCEPTED, None,
             "Από τον επόμενο μήνα, το Κέντρο Ψυχικής Υγείας του Δήμου θα προσφέρει συνεδρίες "
             "με διερμηνέα στα αραβικά και στα φαρσί δύο ημέρες την εβδομάδα.",
             "From next month, the City's mental health centre will offer sessions with an "
             "interpreter in Arabic and Persian two days a week."),
        ],
    },
    {
        "country": "HU",
        "owner": ("council", "hu-council"),
        "domain": "employment",
        "languages": ["hu", "en", "uk"],
        "days": (-220, -210, -160, -130, -70),
        "title": ("Első munkahely Budapesten", "A first job in Budapest"),
        "question": (
            "Mi segítené a menekülteket és a bevándorlókat abban, hogy Budapesten a "
            "végzettségüknek megfelelő munkát találjanak?",
            "What would help refugees and migrants find work in Budapest that matches their "
            "qualifications?",
        ),
        "background": (
            "A Budapesti Migráns Tanács ajánlást készít a Fővárosnak a foglalkoztatásról. A "
            "konzultáció lezárult: minden javaslatra válaszoltunk, az összefoglaló alább "
            "olvasható.",
            "The Budapest Migrant Council is preparing a recommendation to the City on "
            "employment. The consultation is closed: every proposal has been answered, and the "
            "summary is below.",
        ),
        "proposals": [
            ("m1", "hu", "Álláshirdetések ukránul és angolul",
             "A Főváros álláshirdetései csak magyarul jelennek meg. Ha legalább ukránul és "
             "angolul is olvashatók lennének, sokkal többen jelentkeznének.", 7),
            ("r2", "en", "Mentors from the same profession",
             "A mentor who works in the same field can explain how hiring works in Hungary and "
             "introduce you to employers. Retired professionals could volunteer.", 6),
            ("m3", "hu", "Ingyenes szakmai nyelvtanfolyam",
             "A munkához szakmai magyar nyelv kell. Ingyenes, munka utáni tanfolyamokat kérünk "
             "az egészségügy, az építőipar és a vendéglátás szókincsével.", 5),
            ("r4", "hu", "Diplomák gyorsabb elismerése",
             "Az elismerés hónapokig tart és sokba kerül. Rövidebb határidőt és olcsóbb eljárást "
             "kérünk, hogy a szakemberek a saját szakmájukban dolgozhassanak.", 4),
            ("m5", "hu", "Álláshirdetések egyszerű magyar nyelven",
             "Ha a hirdetések rövid, egyszerű mondatokkal készülnének, azok is megértenék őket, "
             "akik most tanulnak magyarul.", 3),
            ("r6", "en", "A job fair for newcomers",
             "Once a year, employers who are open to hiring refugees could meet candidates at a "
             "fair in the city hall.", 2),
            ("m7", "hu", "Kvóta a fővárosi cégeknél",
             "A fővárosi tulajdonú cégek vegyenek fel kötelezően bizonyos számú menekültet.", 1),
        ],
        "comments": [
            ("p1", "r1", FOR, "hu",
             "Ez nagyon fontos. Sok ukrán család él a kerületünkben, és nem tudják, hol "
             "keressenek munkát."),
            ("c1", "m2", FOR, "en",
             "Agreed, and adverts in English would help people from other countries as well."),
            ("p7", "r3", AGAINST, "hu",
             "Szerintem a kvóta inkább ártana: a kollégák azt gondolnák, hogy nem a tudásunk "
             "miatt vettek fel."),
            ("c3", "m7", NEUTRAL, "hu",
             "Értem az érvet. Akkor legalább mérjük évente, hány menekült dolgozik a fővárosi "
             "cégeknél."),
        ],
        "answers": [
            (ACCEPTED, None,
             "Bekerült a tanács ajánlásába: a Főváros vállalta, hogy jövő évtől saját "
             "álláshirdetéseit angolul és ukránul is közzéteszi.",
             "Included in the council's recommendation: the City has agreed to publish its own "
             "job adverts in English and Ukrainian from next year."),
            (ACCEPTED, None,
             "Elfogadva: a tanács az egyetemmel közösen mentorprogramot javasol, az első évben "
             "30 mentorral.",
             "Accepted: together with the university, the council proposes a mentoring "
             "programme with 30 mentors in its first year."),
            (EVALUATING, None,
             "A tanács a Befogadás Egyesülettel megvizsgálja a költségeket, és a következő "
             "ülésén dönt.",
             "The council is looking at the costs with the Inclusion Association and will "
             "decide at its next meeting."),
            (NOT_ACCEPTED, None,
             "A diplomák elismerése országos hatáskör, a Főváros nem változtathat rajta. A "
             "tanács a kérést továbbította az illetékes minisztériumnak.",
             "Recognising diplomas is a national matter that the City cannot change. The "
             "council has forwarded the request to the responsible ministry."),
            (MERGED, 1,
             "Összevontuk az „Álláshirdetések ukránul és angolul” javaslattal: a Főváros minden "
             "hirdetésnek egyszerű magyar változatát is elkészíti.",
             "Merged into “Job adverts in Ukrainian and English”: the City will also write a "
             "plain Hungarian version of each advert."),
            (MERGED, 2,
             "Összevontuk a mentorprogrammal: az első állásbörzét a mentorok szervezik a "
             "munkáltatókkal együtt.",
             "Merged into the mentoring programme: the mentors will organise the first job fair "
             "together with employers."),
            (NOT_ACCEPTED, None,
             "Kötelező kvótát a tanács nem javasol, mert a munkáltatók és a jelöltek szerint is "
             "megbélyegző lehet. Helyette a mentorprogram és a közérthető hirdetések segítik a "
             "jelentkezést.",
             "The council does not propose a mandatory quota, since employers and candidates "
             "alike said it could stigmatise people. The mentoring programme and clear job "
             "adverts support applications instead."),
        ],
        "closing": (
            "Köszönjük a hét javaslatot és a hozzászólásokat. A tanács két javaslatot teljes "
            "egészében átvett a Fővárosnak küldött ajánlásba (ukrán és angol nyelvű "
            "álláshirdetések, mentorprogram), kettőt ezekkel összevont, egyet tovább vizsgál. "
            "A két el nem fogadott javaslat indoklása a javaslatoknál olvasható.",
            "Thank you for the seven proposals and your comments. The council took two proposals "
            "in full into its recommendation to the City (job adverts in Ukrainian and English, "
            "a mentoring programme), merged two into them and is still looking at one. The "
            "reasons for the two proposals not accepted are given with each of them.",
        ),
    },
    {
        "country": "IT",
        "owner": ("organisation", "it-city"),
        "domain": "education",
        "languages": ["it", "en", "ar", "uk"],
        "days": (-18, -10, 50, 70, 100),
        "settings": {
            "allows_anonymous": True,
            "supports_per_person": 5,
            "support_threshold": 10,
        },
        "anonymous": 8,
        "title": ("Iscrizione a scuola per i figli dei nuovi arrivati",
                  "School enrolment for newcomers' children"),
        "question": (
            "Come può Roma Capitale aiutare le famiglie appena arrivate a iscrivere i figli a "
            "scuola e a seguirli nello studio?",
            "How can the City of Rome help newly arrived families enrol their children in "
            "school and support them in their studies?",
        ),
        "background": (
            "Ogni anno centinaia di bambini e ragazzi arrivano a Roma durante l'anno scolastico. "
            "Le famiglie trovano moduli solo in italiano, scadenze poco chiare e liste d'attesa. "
            "Si può partecipare anche senza account: questi contributi sono indicati come non "
            "verificati. Ognuno ha 5 sostegni; le proposte che ne raccolgono 10 saranno "
            "discusse con l'assessorato.",
            "Every year hundreds of children and young people arrive in Rome during the school "
            "year. Families find forms only in Italian, unclear deadlines and waiting lists. You "
            "can take part without an account: such contributions are marked as unverified. "
            "Everyone has 5 supports; proposals that reach 10 will be discussed with the city "
            "department.",
        ),
        "proposals": [
            ("m1", "it", "Uno sportello unico per le iscrizioni",
             "Oggi bisogna andare in municipio, alla ASL per i vaccini e poi a scuola. Uno "
             "sportello unico in ogni municipio, con mediatori culturali, farebbe tutto in una "
             "volta.", 13),
            ("a1", "it", "Moduli di iscrizione in più lingue",
             "I moduli online sono solo in italiano. Tradurli almeno in inglese, arabo, "
             "bengalese, ucraino e spagnolo eviterebbe molti errori.", 11),
            ("r1", "en", "A welcome class before joining a regular class",
             "Children who speak no Italian could spend their first weeks in a small welcome "
             "class with intensive Italian, then join their regular class step by step.", 10),
            ("r3", "it", "Mediatori ai colloqui con gli insegnanti",
             "I genitori non capiscono le pagelle e i colloqui. Un mediatore culturale presente "
             "almeno due volte l'anno permetterebbe di parlare davvero dei progressi dei "
             "figli.", 8),
            ("a2", "en", "Homework help in the afternoon",
             "Parents who do not speak Italian cannot help with homework. Afternoon homework "
             "clubs in libraries, with student volunteers, would keep children from falling "
             "behind.", 6),
            ("m4", "it", "Posti riservati per chi arriva durante l'anno",
             "Chi arriva a novembre o a febbraio trova le classi piene. Ogni scuola potrebbe "
             "tenere un paio di posti per gli arrivi durante l'anno scolastico.", 4),
            ("r5", "it", "Riconoscere la scuola fatta all'estero",
             "Molti ragazzi finiscono in classi con bambini più piccoli perché le loro pagelle "
             "non sono tradotte. Un test di livello rapido eviterebbe di perdere anni.", 3),
            ("a3", "it", "Scuolabus per chi vive nei centri di accoglienza",
             "Alcuni centri sono lontani dalle scuole e i bambini viaggiano più di un'ora in "
             "autobus. Uno scuolabus o un abbonamento gratuito aiuterebbe.", 2),
            ("m6", "it", "Corsi di italiano per i genitori nella scuola",
             "Mentre i bambini sono in classe, i genitori potrebbero seguire un corso di "
             "italiano nella stessa scuola. Così conoscerebbero anche gli insegnanti.", 0),
        ],
        "comments": [
            ("p1", "m2", FOR, "it",
             "Sì! Ho perso tre giorni tra uffici diversi per iscrivere mio figlio."),
            ("c1", "a4", FOR, "it",
             "Anche noi. E ogni ufficio chiedeva documenti diversi."),
            ("p3", "m5", NEUTRAL, "it",
             "Le classi di accoglienza funzionano se durano poche settimane, altrimenti i "
             "bambini restano separati dagli altri troppo a lungo."),
            ("c3", "r1", FOR, "en",
             "Exactly, that is why the proposal says step by step: a few hours in the regular "
             "class from the first week, more each week after."),
            ("p2", "r7", FOR, "it",
             "Aggiungerei il tigrino e il cinese: a Roma ci sono molte famiglie che parlano "
             "queste lingue."),
        ],
    },
    {
        "country": "RO",
        "owner": ("organisation", "ro-city"),
        "domain": "housing",
        "languages": ["ro", "en", "uk", "ar"],
        "days": (-14, -7, 53, 75, 105),
        "settings": {"min_age": 18, "max_age": 35, "premoderation": True},
        "members": False,  # council members gave no birth year, which this age range needs
        "title": ("Prima locuință pentru tinerii refugiați și migranți",
                  "A first home for young refugees and migrants"),
        "question": (
            "Ce i-ar ajuta pe tinerii între 18 și 35 de ani să găsească o locuință după ce "
            "părăsesc centrele de cazare?",
            "What would help young people aged 18 to 35 find a home after they leave reception "
            "centres?",
        ),
        "background": (
            "Mulți tineri trebuie să părăsească centrele de cazare la scurt timp după ce primesc "
            "o formă de protecție, fără economii și fără istoric de chiriaș. Primăria pregătește "
            "un program de locuințe pentru tineri. Consultarea este deschisă persoanelor între "
            "18 și 35 de ani; un moderator verifică fiecare contribuție înainte de publicare.",
            "Many young people must leave reception centres soon after they receive protection, "
            "without savings or a rental history. The City Hall is preparing a youth housing "
            "programme. The consultation is open to people aged 18 to 35; a moderator checks "
            "each contribution before it is published.",
        ),
        "proposals": [
            ("r1", "ro", "Garsoniere sociale pentru primul an",
             "Primăria are apartamente libere în blocurile sale. Câteva garsoniere ar putea fi "
             "închiriate tinerilor în primul an, cu o chirie mică, până își găsesc un loc de "
             "muncă stabil.", 6),
            ("r2", "en", "Help with the first month's rent and the deposit",
             "Landlords in Bucharest usually ask for one or two months' deposit plus the first "
             "month's rent. A one-off grant or an interest-free loan would let young people sign "
             "their first lease.", 5),
            ("r3", "ro", "Colegi de apartament: tineri români și refugiați",
             "Un program care pune în legătură studenți români și tineri refugiați care caută "
             "colegi de apartament. Așa se împarte chiria și se învață limba mai repede.", 4),
            ("r4", "ro", "Consiliere pentru contractele de închiriere",
             "Mulți proprietari nu vor să încheie un contract sau să-l înregistreze, iar fără "
             "contract nu poți obține viza de flotant. Un jurist la primărie, o dată pe "
             "săptămână, ne-ar explica drepturile.", 3),
            ("r5", "en", "A list of rooms checked by the city, in several languages",
             "A simple list of rooms and flats, checked by the city, in Romanian, English, "
             "Ukrainian and Arabic, would protect us from fake adverts.", 2),
            ("r6", "ro", "Locuri în cămine pentru tinerii care lucrează",
             "Căminele studențești au uneori locuri libere vara. Tinerii care lucrează ar putea "
             "sta acolo câteva luni, până găsesc o chirie.", 1),
            ("r7", "ro", "Abonament de transport gratuit în primele luni",
             "Mulți tineri găsesc chirii ieftine doar la marginea orașului. Un abonament gratuit "
             "în primele șase luni i-ar ajuta să ajungă la muncă.", 0),
        ],
        "comments": [
            ("p1", "r7", FOR, "ro",
             "Ar fi un început foarte bun. Un an e suficient ca să-ți găsești un loc de muncă și "
             "să pui ceva bani deoparte."),
            ("c1", "r8", NEUTRAL, "ro",
             "De acord, dar cine decide cine primește garsonierele? Criteriile ar trebui să fie "
             "publice."),
            ("p2", "r4", FOR, "en",
             "Yes, the deposit is the biggest problem. An interest-free loan is fairer than a "
             "grant: more people could get one."),
            ("p3", "r8", NEUTRAL, "ro",
             "Cum verifică primăria că apartamentele sunt în stare bună?"),
        ],
        # Still waiting for a moderator, so the moderation queue has something to approve.
        "pending_proposals": [7],
        "pending_comments": [4],
    },
]  # fmt: skip


def seed(out) -> list:
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    existing = {c.title.values.get("en") for c in Consultation.objects.only("title")}
    for spec in CONSULTATIONS:
        if spec["title"][1] not in existing:
            _seed_one(spec, now)
    out.write(
        f"consultations: {Consultation.objects.count()} consultations, "
        f"{Proposal.objects.count()} proposals, {Comment.objects.count()} comments"
    )
    return []


def _text(language: str, local: str, english: str) -> TranslatedText:
    return TranslatedText({language: local, "en": english}, original=language)


def _seed_one(spec: dict, now: datetime.datetime) -> None:
    country = Country.objects.filter(code=spec["country"]).first()
    kind, slug = spec["owner"]
    model = Organisation if kind == "organisation" else Council
    owner = model.objects.filter(slug=slug).first()
    if country is None or owner is None:
        return
    lang = country.language
    city = Municipality.objects.filter(region__country=country, code="capital").first()
    dates = {
        field: now + days * DAY
        for (_p, field), days in zip(PHASE_STARTS, spec["days"], strict=True)
    }
    actor = _acting_for(owner)
    consultation = Consultation(
        title=_text(lang, *spec["title"]),
        question=_text(lang, *spec["question"]),
        background=_text(lang, *spec["background"]),
        owner_organisation=owner if kind == "organisation" else None,
        owner_council=owner if kind == "council" else None,
        # A migration loads the domains; a test database flushed after a transactional test
        # has lost them, so the demo puts back the one it needs.
        domain=PolicyDomain.objects.get_or_create(
            code=spec["domain"],
            defaults={"name": TranslatedText({"en": spec["domain"].title()}, original="en")},
        )[0],
        country=country,
        region=city.region if city else None,
        municipality=city,
        languages=spec["languages"],
        is_published=True,
        components=["proposals"],
        created_by=actor,
        **dates,
        **spec.get("settings", {}),
    )
    consultation.full_clean()
    consultation.save()
    Consultation.objects.filter(pk=consultation.pk).update(
        created_at=dates["information_at"] - 7 * DAY, updated_at=dates["information_at"] - DAY
    )
    _Filler(consultation, spec, now, actor).fill()


def _acting_for(owner) -> User | None:
    """Who runs the consultation for its owner: an officer of the authority or the council's
    facilitator, else the programme coordinator (most demo owners have nobody on Voices)."""
    role = Role.OFFICER if isinstance(owner, Organisation) else Role.FACILITATOR
    grant = (
        RoleGrant.objects.filter(
            role=role, scope_type=ContentType.objects.get_for_model(owner), scope_id=str(owner.pk)
        )
        .select_related("user")
        .first()
    )
    return grant.user if grant else User.objects.filter(username="coordinator").first()


def _demo_user(username: str, display_name: str, *, country: str, languages: list[str],
               birth_year: int | None = None) -> User:  # fmt: skip
    user, _created = User.objects.get_or_create(
        username=username,
        defaults={
            "display_name": display_name, "languages": languages, "country": country,
            "birth_year": birth_year,
        },
    )  # fmt: skip
    if user.has_usable_password():
        user.set_unusable_password()  # they only appear in the demo; they never log in
        user.save(update_fields=["password"])
    return user


def _people(spec: dict, consultation: Consultation) -> dict[str, User | str]:
    """Everyone who takes part, by the keys the spec uses; a browser without an account is the
    hash of its token (what `Participant.anon_key` holds)."""
    code, lang = spec["country"], consultation.country.language
    languages = [lang, "en"]
    people: dict[str, User | str] = {}
    if spec.get("members", True):
        # The council's members (made by the councils demo; made here if that did not run).
        for n, pseudonym in enumerate(PSEUDONYMS, start=1):
            people[f"m{n}"] = _demo_user(
                f"{code.lower()}-member-{n}", pseudonym, country=code, languages=languages
            )
    has_ages = consultation.has_age_rule
    this_year = timezone.localdate().year
    for n, (pseudonym, age) in enumerate(zip(RESIDENTS, AGES, strict=True), start=1):
        people[f"r{n}"] = _demo_user(
            f"{code.lower()}-resident-{n}", pseudonym, country=code, languages=languages,
            birth_year=this_year - age if has_ages else None,
        )  # fmt: skip
    for username in spec.get("named", []) + spec.get("staff", []):
        people[username] = User.objects.get(username=username)
    for n in range(1, spec.get("anonymous", 0) + 1):
        token = f"voices-demo-{code}-browser-{n}".encode()
        people[f"a{n}"] = hashlib.sha256(token).hexdigest()
    return people


def _between(
    start: datetime.datetime, end: datetime.datetime, n: int, count: int
) -> datetime.datetime:
    """The `n`th (from 0) of `count` moments spread evenly between `start` and `end`."""
    return start + (end - start) * (n + 1) / (count + 1)


def _as_actor(person: User | str) -> dict:
    if isinstance(person, str):
        return {"user": None, "anon_key": person}
    return {"user": person, "anon_key": ""}


class _Filler:
    """Fills one consultation: proposals, supports, comments, moderation and answers."""

    def __init__(self, consultation: Consultation, spec: dict, now, actor: User | None):
        self.consultation = consultation
        self.spec = spec
        self.now = now
        self.actor = actor  # runs it: moderates, answers
        self.people = _people(spec, consultation)
        self.staff = set(spec.get("staff", []))
        self.first_seen: dict[int, datetime.datetime] = {}
        # Supports and comments are given until the answers phase starts.
        self.until = min(consultation.answers_at, now) - HOUR

    def fill(self) -> None:
        rows = self.spec["proposals"]
        pending = set(self.spec.get("pending_proposals", []))
        proposals = [
            self._propose(n, len(rows), row, keep_pending=n + 1 in pending)
            for n, row in enumerate(rows)
        ]
        self._supports(proposals)
        comments: list[Comment] = []
        pending = set(self.spec.get("pending_comments", []))
        rows = self.spec.get("comments", [])
        for n, row in enumerate(rows):
            comments.append(
                self._comment(n, len(rows), row, proposals, comments, keep_pending=n + 1 in pending)
            )
        self._moderate(comments)
        self._answer(proposals)
        self._finish(proposals)

    # Writing, through the services while the phase allows it

    def _allows(self, action: str) -> bool:
        return self.consultation.allows(action, at=timezone.now())

    def _participant(self, person: User | str) -> Participant:
        participant, _created = Participant.objects.get_or_create(
            consultation=self.consultation,
            **_as_actor(person),
            defaults={"declared_resident": needs_residence_declaration(self.consultation)},
        )
        return participant

    def _seen(self, participant_id: int | None, at: datetime.datetime) -> None:
        if participant_id and at < self.first_seen.get(participant_id, self.now):
            self.first_seen[participant_id] = at

    def _approve(self, target, at: datetime.datetime) -> None:
        """Approve a held contribution, as the consultation's moderator would have."""
        if self.actor is None:
            type(target).objects.filter(pk=target.pk).update(
                moderation_state=ModerationState.VISIBLE
            )
        else:
            decision = moderation.moderation_decide(
                actor=self.actor, target=target, action=ModerationDecision.Action.APPROVE
            )
            ModerationDecision.objects.filter(pk=decision.pk).update(
                created_at=min(at + 2 * HOUR, self.now)
            )
        target.moderation_state = ModerationState.VISIBLE

    def _propose(self, n: int, count: int, row: tuple, *, keep_pending: bool) -> Proposal:
        author_key, language, title, body, _supports = row
        person = self.people[author_key]
        start = self.consultation.contributions_at
        stop = min(self.consultation.deliberation_at, self.now) - HOUR
        at = _between(start, stop, n, count)
        fields = {"title": title, "body": body, "language": language}
        if self._allows(Action.PROPOSE):
            proposal = services.proposal_create(
                consultation=self.consultation, **_as_actor(person), **fields
            )
        else:
            user = _as_actor(person)["user"]
            proposal = Proposal(
                consultation=self.consultation, author=user, participant=self._participant(person),
                is_anonymous=user is None, **fields,
            )  # fmt: skip
            proposal.full_clean()
            proposal.save()
        Proposal.objects.filter(pk=proposal.pk).update(created_at=at)
        proposal.created_at = at
        self._seen(proposal.participant_id, at)
        if proposal.moderation_state == ModerationState.PENDING and not keep_pending:
            self._approve(proposal, at)
        return proposal

    def _supports(self, proposals: list[Proposal]) -> None:
        """Spread the supports over the people, within the consultation's limit per person."""
        limit = self.consultation.supports_per_person
        pool = [key for key in self.people if key not in self.staff]
        used = dict.fromkeys(pool, 0)
        for n, (proposal, row) in enumerate(zip(proposals, self.spec["proposals"], strict=True)):
            author_key, count = row[0], row[4]
            shifted = pool[n % len(pool) :] + pool[: n % len(pool)]
            free = [k for k in shifted if k != author_key and (limit is None or used[k] < limit)]
            chosen = sorted(free, key=lambda k: used[k])[:count]
            if len(chosen) < count:
                raise ValueError(f"Not enough people to support {proposal.title!r} {count} times.")
            for k, key in enumerate(chosen):
                used[key] += 1
                at = _between(proposal.created_at, self.until, k, count)
                self._support(proposal, self.people[key], at)

    def _support(self, proposal: Proposal, person: User | str, at: datetime.datetime) -> None:
        if self._allows(Action.SUPPORT):
            support = services.support_add(proposal=proposal, **_as_actor(person))
        else:
            support = Support.objects.create(
                consultation=self.consultation, proposal=proposal,
                participant=self._participant(person),
            )  # fmt: skip
            Proposal.objects.filter(pk=proposal.pk).update(supports_count=F("supports_count") + 1)
        Support.objects.filter(pk=support.pk).update(created_at=at)
        self._seen(support.participant_id, at)

    def _comment(self, n: int, count: int, row: tuple, proposals: list[Proposal],
                 comments: list[Comment], *, keep_pending: bool) -> Comment:  # fmt: skip
        on, author_key, stance, language, body = row
        parent = comments[int(on[1:]) - 1] if on.startswith("c") else None
        if parent is not None:
            proposal = parent.proposal
        else:
            proposal = proposals[int(on[1:]) - 1] if on.startswith("p") else None
        anchor = proposal.created_at if proposal else self.consultation.contributions_at
        at = _between(anchor, self.until, n, count)
        if parent is not None and at <= parent.created_at:
            at = parent.created_at + (self.until - parent.created_at) / 3
        person = self.people[author_key]
        fields = {"body": body, "stance": stance, "language": language}
        if self._allows(Action.COMMENT):
            comment = services.comment_create(
                consultation=self.consultation, proposal=proposal, parent=parent,
                **_as_actor(person), **fields,
            )  # fmt: skip
        else:
            user = _as_actor(person)["user"]
            comment = Comment(
                consultation=self.consultation, proposal=proposal, parent=parent, author=user,
                participant=self._participant(person), is_anonymous=user is None,
                thread_id=(parent.thread_id or parent.pk) if parent else None,
                depth=min(parent.depth + 1, Comment.MAX_DEPTH) if parent else 0, **fields,
            )  # fmt: skip
            comment.full_clean()
            comment.save()
        Comment.objects.filter(pk=comment.pk).update(created_at=at)
        comment.created_at = at
        self._seen(comment.participant_id, at)
        if comment.moderation_state == ModerationState.PENDING and not keep_pending:
            self._approve(comment, at)
        return comment

    # Moderation and answers

    def _moderate(self, comments: list[Comment]) -> None:
        """One comment reported by a participant (still shown: below the consultation's report
        threshold) and one hidden by a moderator after two reports."""
        if "report" in self.spec:
            index, reporter, reason, note = self.spec["report"]
            self._report(comments[index - 1], reporter, reason, note=note)
        if "hide" in self.spec and self.actor is not None:
            index, reporters, reason = self.spec["hide"]
            target = comments[index - 1]
            for n, reporter in enumerate(reporters):
                self._report(target, reporter, Report.Reason.SPAM, hours=2 + n)
            decision = moderation.moderation_decide(
                actor=self.actor, target=target, action=ModerationDecision.Action.HIDE,
                reason=reason, url=target.get_absolute_url(),
            )  # fmt: skip
            decided = min(target.created_at + 9 * HOUR, self.now)
            ModerationDecision.objects.filter(pk=decision.pk).update(created_at=decided)
            Report.objects.filter(
                content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk)
            ).update(resolved_at=decided)

    def _report(
        self, target, reporter: str, reason: str, *, note: str = "", hours: int = 5
    ) -> None:
        report = moderation.report_create(
            reporter=self.people[reporter], target=target, reason=reason, note=note
        )
        at = min(target.created_at + hours * HOUR, self.now)
        Report.objects.filter(pk=report.pk).update(created_at=at)

    def _answer(self, proposals: list[Proposal]) -> None:
        """Answer every proposal, and write the closing statement, once the answers phase has
        begun; each answer dated a day or two after the one before."""
        answers = self.spec.get("answers")
        if not answers or self.actor is None:
            return
        lang = self.consultation.country.language
        for n, (answer, merged, local, english) in enumerate(answers):
            proposals[n] = services.proposal_answer(
                actor=self.actor, proposal=proposals[n], answer=answer,
                text=_text(lang, local, english),
                merged_into=proposals[merged - 1] if merged else None,
            )  # fmt: skip
            at = min(self.consultation.answers_at + (n + 2) * DAY, self.now)
            Proposal.objects.filter(pk=proposals[n].pk).update(answered_at=at)
        if "closing" in self.spec:
            services.closing_statement_save(
                actor=self.actor, consultation=self.consultation,
                statement=_text(lang, *self.spec["closing"]),
            )  # fmt: skip

    def _finish(self, proposals: list[Proposal]) -> None:
        """Count supports on each proposal, mark the time a proposal reached the
        threshold (the support that took it there), and date each participant by their first
        contribution."""
        threshold = self.consultation.support_threshold
        for proposal in proposals:
            supports = Support.objects.filter(proposal=proposal)
            # Supports without an account are counted apart and never reach the threshold.
            unverified = supports.exclude(participant__anon_key="").count()
            times = list(
                supports.filter(participant__anon_key="")
                .order_by("created_at", "id")
                .values_list("created_at", flat=True)
            )
            Proposal.objects.filter(pk=proposal.pk).update(
                supports_count=len(times),
                unverified_supports_count=unverified,
                reached_at=times[threshold - 1] if threshold and len(times) >= threshold else None,
            )
        for participant_id, at in self.first_seen.items():
            Participant.objects.filter(pk=participant_id).update(created_at=at)
