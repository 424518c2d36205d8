"""Build the evaluation set for the note privacy guard (tests/data/privacy_notes_*.jsonl).

Run from the repository root: ``.venv/bin/python tests/data/make_privacy_notes.py``. The output is
fixed by the seed, so running it again rewrites the same three files (a test checks that).

Every note is synthetic: first names are common given names of many origins, paired at random
with common surnames of the same origin, and every number is invented (NHS numbers carry a valid
check digit but are random; phone numbers come from the ranges Ofcom keeps for drama; e-mail
addresses use the reserved example domains). About half the notes hold personal data of one kind
or another; the other half are ordinary audit prose, full of capitalised domain terms, agency
names, places, months and first names that are also everyday words.

The notes come in three sets of 320, kept apart on purpose:

- *tuning*: the notes the guard's rules were written against;
- *held-out*: other first names and surnames (every second name of each origin) and other sentence
  templates (every second template). Scored, not tuned on, except once: the first scoring's
  misses and false warnings were read ("Easter" taken for a name, "Mum (Blessing)" missed) and
  both were put right, so this set is no longer quite unseen;
- *fresh*: names, templates and prose written after the rules were finished, and scored once.

tests/test_privacy_eval.py holds the guard to the issue's aims on the held-out and fresh notes.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

SEED = 20261124
TODAY = date(2026, 11, 24)  # the tests score the notes "as of" this day
NOTES_PER_SPLIT = 320
OUT = Path(__file__).parent

# First names (female, male) and surnames by origin, as they appear in English case files.
ORIGINS: dict[str, tuple[str, str, str]] = {
    "polish": (
        "Oliwia Zuzanna Julia Maja Zofia Hanna Lena Wiktoria Aleksandra Natalia Alicja Agnieszka "
        "Katarzyna Małgorzata Joanna Magdalena Karolina Weronika Gabriela Paulina",
        "Bartosz Jakub Kacper Szymon Filip Antoni Wojciech Mateusz Michał Piotr Krzysztof Tomasz "
        "Paweł Łukasz Dawid Kamil Marcin Grzegorz Damian Igor",
        "Nowak Kowalska Wiśniewski Wójcik Kamińska Lewandowski Zielińska Szymański Woźniak "
        "Dąbrowska Kozłowski Jankowska Mazur Kwiatkowski Krawczyk Piotrowska Grabowski Pawlak "
        "Michalska Nowicki"),
    "romanian": (
        "Ioana Andreea Elena Bianca Daria Raluca Roxana Denisa Cristina Larisa Medeea Teodora "
        "Alina Mihaela",
        "Mihai Andrei Alexandru Ionuț Ștefan Bogdan Florin Marius Vlad Darius Răzvan Cosmin Sorin "
        "Gheorghe",
        "Popescu Ionescu Popa Radu Dumitru Stoica Matei Ciobanu Rusu Munteanu Constantin Lungu "
        "Mocanu Dragomir"),
    "baltic": (
        "Gabija Ugnė Austėja Kamilė Ieva Emilija Eglė Rasa Liepa Agnė",
        "Lukas Jokūbas Matas Dominykas Nojus Mantas Tomas Kristaps Artūrs Žygimantas",
        "Kazlauskas Petrauskienė Jankauskas Stankevičius Vasiliauskas Žukauskaitė Bērziņš Kalniņa "
        "Ozoliņš Paulauskas"),
    "central_european": (
        "Natália Nikola Simona Tereza Veronika Kristína Jana Dorina Zsófia Klaudia",
        "Matej Samuel Marek Patrik Dominik Radek Gábor Milan Ferenc Lukáš",
        "Horváth Baláž Kováč Oláh Lakatoš Novák Dvořák Bartoš Kolompár Tóth"),
    "ukrainian": (
        "Anastasiia Sofiia Oksana Olena Iryna Yuliia Daryna Viktoriia Kateryna Mariia",
        "Oleksandr Dmytro Maksym Artem Bohdan Taras Mykola Andrii Yurii Denys",
        "Shevchenko Kovalenko Bondarenko Tkachenko Kravchenko Melnyk Boyko Lysenko Savchenko "
        "Rudenko"),
    "balkan": (
        "Elira Arta Besa Erjona Klea Yana Mira Desislava Gergana Teuta",
        "Arben Ermal Besnik Klodian Erion Georgi Dimitar Ivaylo Altin Driton",
        "Hoxha Berisha Krasniqi Gashi Shehu Ivanova Petrov Dimitrova Kolev Leka"),
    "indian": (
        "Priyanka Ananya Saanvi Diya Aadhya Ishita Kavya Pooja Neha Shreya Harpreet Simran "
        "Jaspreet Gurleen Meera Lakshmi Divya Riya Anika Aarohi",
        "Aarav Vihaan Arjun Rohan Ishaan Vivaan Reyansh Krish Aryan Harjeet Gurpreet Manpreet "
        "Jaskaran Rahul Vikram Nikhil Sanjay Karthik Siddharth Pranav",
        "Patel Sharma Singh Kaur Gupta Mehta Shah Desai Reddy Iyer Nair Pillai Chauhan Joshi "
        "Malhotra Sandhu Gill Dhillon Bains Kumar"),
    "pakistani": (
        "Ayesha Maryam Zainab Hira Sana Amna Iqra Mehwish Rukhsana Nasreen Shazia Samina Anum "
        "Khadija Alishba Mahnoor",
        "Muhammad Ahmed Hamza Bilal Usman Imran Tariq Zubair Faisal Adnan Shahid Rizwan Ayaan "
        "Zayan Ibrahim Haris",
        "Khan Hussain Akhtar Iqbal Rehman Mahmood Bibi Javed Aslam Qureshi Chaudhry Butt Malik "
        "Raza Anwar Shafiq"),
    "bangladeshi": (
        "Nusrat Farhana Sadia Tahmina Jannat Sumaiya Fatema Rumana Shirin Ruksana",
        "Tanvir Rahim Sohel Mizanur Shahin Rafiq Jamal Kamrul Rubel Ashik",
        "Miah Uddin Rahman Islam Chowdhury Hossain Begum Khatun Sarkar Talukder"),
    "tamil": (
        "Tharshika Kajani Nivetha Abirami Thushara Janani",
        "Tharshan Kajan Nirujan Pirashanth Thivakar Kirushanth",
        "Sivakumar Thevarajah Rajendran Kanagaratnam Balasubramaniam Jeyakumar"),
    "yoruba": (
        "Oluwaseun Folake Temitope Yetunde Funmilayo Adebola Bukola Titilayo Damilola Oluwatoyin "
        "Adunni Morenike",
        "Adebayo Olumide Babajide Oluwatobi Ayodele Segun Tunde Femi Kayode Oluwadamilare Ademola "
        "Gbenga",
        "Adeyemi Ogunleye Oladipo Akinola Ogunbiyi Olatunji Adewale Oyelaran Adeleke Ogundipe "
        "Afolabi Oyewole"),
    "igbo": (
        "Chiamaka Ngozi Adaeze Ifeoma Nneka Chidinma Amarachi Ogechi Chinwe Uju",
        "Chidi Emeka Chukwuemeka Obinna Kelechi Chinedu Ikenna Nnamdi Uchenna Ebuka Somto Tochukwu",
        "Okafor Okonkwo Eze Nwosu Obi Okeke Nwachukwu Chukwu Onyeka Ibekwe Anyanwu Uzor"),
    "hausa": (
        "Hauwa Halima Hadiza Amina Rukayya Bilkisu",
        "Aliyu Musa Abdullahi Sani Bashir Umar",
        "Abubakar Bello Danjuma Garba Sule Lawal"),
    "ghanaian": (
        "Abena Akosua Ama Efua Esi Adwoa Yaa Afua Akua Naana",
        "Kwame Kofi Kwabena Yaw Kwaku Kojo Kwesi Kweku Fiifi Kwadwo",
        "Mensah Asante Owusu Boateng Appiah Osei Agyeman Darko Amoah Ofori Acheampong Badu"),
    "somali": (
        "Hodan Ayan Fadumo Hibo Sagal Ifrah Nimco Amran Ubah Hamdi",
        "Liban Abdirahman Mohamed Abdi Hassan Yusuf Mahad Guled Khadar Abdullahi",
        "Warsame Farah Hersi Jama Mohamud Osman Nur Egal Aden Duale"),
    "horn_of_africa": (
        "Selam Senait Rahel Mekdes Hiwet Saba Lidya Meron",
        "Yonas Dawit Tesfay Robel Filmon Biniam Henok Amanuel",
        "Tesfaye Haile Gebremedhin Tekle Berhane Woldemariam Kidane Mebrahtu"),
    "southern_african": (
        "Tendai Rutendo Chipo Thandiwe Nomvula Zanele Nokuthula Lindiwe Ruvimbo Nyasha",
        "Tatenda Tinashe Farai Sipho Thabo Themba Kudzai Tafadzwa Sibusiso Mandla",
        "Moyo Ncube Dube Sibanda Chikwanha Mutasa Dlamini Nkosi Khumalo Ndlovu Mlambo Chari"),
    "congolese": (
        "Merveille Nadège Bénédicte Plamedi Gloire Ornella",
        "Fiston Glody Dieumerci Jean-Pierre Christelle Exaucé",
        "Mbuyi Kabongo Tshibanda Mukendi Kalala Ilunga"),
    "arabic": (
        "Fatima Layla Rania Yasmin Nour Huda Rana Dima Samar Salma",
        "Omar Khalid Youssef Mahmoud Karim Mustafa Ahmad Ammar Tamer Waleed",
        "Haddad Mansour Khalil Nasser Saleh Hamdan Abdallah Elsayed Al-Hassan Qasim"),
    "kurdish_persian_afghan": (
        "Roya Parisa Nasrin Zahra Soraya Dilan Rojin Mahsa Farzana Shabnam",
        "Reza Dariush Farhad Karwan Aram Hemin Shahram Sardar Hamid Wahid",
        "Ahmadi Hosseini Karimi Rahimi Mohammadi Rezaei Sharifi Amiri Noori Azizi"),
    "turkish": (
        "Elif Zeynep Ayşe Merve Büşra Esra",
        "Mehmet Emre Kerem Burak Murat Onur",
        "Yılmaz Kaya Demir Şahin Çelik Aydın"),
    "east_asian": (
        "Xiaoling Yuting Linh Thao Huong Ngoc",
        "Haoran Zihan Minh Tuan Duc Jian",
        "Wang Zhang Liu Chen Nguyen Tran"),
    "caribbean": (
        "Shanice Tiana Aaliyah Kiara Jada Nia Keisha Shantelle Tanisha Latoya",
        "Tyrese Jaden Malachi Isaiah Jermaine Dwayne Leon Marcus Andre Delroy",
        "Campbell Williams Thompson Johnson Clarke Francis Richards Gordon Reid Bailey"),
    "british_irish": (
        "Amelia Olivia Isla Ava Freya Poppy Evie Ellie Mia Harper Rosie Lacey Kayleigh Courtney "
        "Niamh Siobhan Ceri Cerys Eilidh Demi",
        "Oliver George Harry Noah Jack Leo Charlie Alfie Freddie Archie Tyler Kyle Connor Callum "
        "Liam Ciaran Rhys Dylan Lewis Jamie",
        "Smith Jones Taylor Wilson Walker Wright Robinson Hughes Edwards Murphy O'Neill McDonald "
        "Evans Davies Roberts MacLeod Kelly Harrison Lloyd Brennan"),
    "traveller": (
        "Bridget Kathleen Margaret Nora Winnie Tilly",
        "Patrick Michael Tyson Martin Johnny Bernard",
        "McDonagh Connors Doherty Boswell Maughan Joyce"),
    # Given names that are also everyday English words ("Hope", "Will"): the hardest case, since
    # a guard cannot tell the name from the word without something around it.
    "word_names": (
        "Grace Hope Faith Joy Rose Blessing Precious Patience Mercy Favour Gift Comfort Princess "
        "Destiny Summer Amber Ruby Holly Jade Dawn",
        "Will Mark Bill Sunny Frank Max Jay Robin Sky River Storm Miracle Godswill Innocent Goodluck "
        "Chance Rich Drew Chase Hunter",
        "Okoro Mensah Kowalczyk Patel Moyo Nowak Ahmed Banda Phiri Adeyemi Owusu Baker Green Young "
        "King Hill Wood Stone Mills Fletcher"),
}

# Relationship words an auditor puts before or after a name.
RELATIONS_F = ["mother", "mum", "sister", "half-sister", "stepmother", "grandmother", "maternal aunt",
               "older sister", "nan", "foster carer", "partner", "girlfriend", "cousin", "daughter"]
RELATIONS_M = ["father", "dad", "brother", "half-brother", "stepfather", "grandfather", "uncle",
               "older brother", "mother's partner", "boyfriend", "cousin", "son", "birth father"]

# Sentences that name someone: {F} first name, {S} surname, {R} a relationship, {Rc} capitalised,
# {A} an age. The split takes every second template for the held-out notes.
NAME_TEMPLATES = [
    "{Rc} {F} reported that the child had not been seen by the GP since the spring.",
    "{F} {S} said she felt safe at home but was worried about money.",
    "The social worker spoke to {F} alone in her bedroom; her wishes are recorded.",
    "{F} (aged {A}) was seen at school by the Designated Safeguarding Lead.",
    "Mrs {S} declined the Early Help offer twice before the referral.",
    "{Rc} {F} was not included in the assessment, although he lives in the home.",
    "Health Visitor saw baby {F} on Monday and weight was on the 9th centile.",
    "{F}'s school reported attendance of 71% over the autumn term.",
    "{F} told her teacher that there was no food in the house at the weekend.",
    "Oldest sibling {F} {S} is a young carer and was not offered an assessment.",
    "The {R}, {F} {S}, was not invited to the Core Group.",
    "No record of {F}'s views in the Child Protection Plan.",
    "Referral made by {F} {S} ({R}) after an incident at the home.",
    "Chronology shows that {F} missed three dental appointments in a row.",
    "{F} was seen alone on the home visit and described the rules at home.",
    "Strategy discussion considered the risk from Mr {S}, who has a history of violence.",
    "The child's {R} {F} attended the Initial Child Protection Conference with an interpreter.",
    "Police attended after {F} {S} called about shouting next door.",
    "Assessment records that {F}, {A}, shares a room with two siblings.",
    "Ms {S} (school nurse) raised the concern about weight loss.",
    "Worker visited and spoke with {F} {S} about the safety plan.",
    "It was {F} who disclosed the incident to a teaching assistant.",
    "{F} and {F2} were seen together at the contact centre.",
    "Letter sent to Miss {S} about the missed appointment at the clinic.",
    "Case note records that {F} is known as '{F2}' at school.",
    "The plan names {F} {S} as the safe adult for collections from nursery.",
    "The {R} ({F}) told police she had been out of the country.",
    "Voice of the child: {F} wants to stay with {R} {F2}.",
    "IRO spoke to {F} before the review; {F} asked for a new worker.",
    "Support from {F} {S}, a family friend, was agreed at the Core Group.",
    "{F} {S}, aged {A}, was missing from home overnight.",
    "Contact with {R} {F} is supervised on Saturdays.",
    "A child called {F} was mentioned in the police log but not followed up.",
    "Family network meeting held with {F} {S} and the paternal grandparents.",
    "{F}'s {R} collects her from school most days.",
    "School recorded that {F} {S} was hungry and tired in class.",
    "Dr {S} from the community paediatric team saw the child in clinic.",
    "Mum ({F}) says the father has not been in touch since the summer.",
    "The assessment does not mention {F}, the youngest child in the household.",
    "{F} {S}'s attendance dropped to 64% after the move.",
]

# Sentences with the other kinds of personal data. {P} a phone number, {PC} a postcode, {D} a
# date of birth, {N} an NHS number, {E} an e-mail address.
OTHER_TEMPLATES = {
    "phone number": [
        "Mother's mobile {P} is recorded on the plan.",
        "The duty team on {P} did not call the school back.",
        "Contact number {P} was given to the family for out-of-hours support.",
        "GP surgery ({P}) confirmed the child is registered.",
        "Father can be reached on {P} after 6pm.",
        "School office rang from {P} to report the absence.",
        "Aunt's number ({P}) was added to the safety plan.",
        "Text message sent to {P} with the date of the review.",
    ],
    "postcode": [
        "Family moved to {PC} in the spring.",
        "Home visit at {PC} found the house cold and without food.",
        "Placement address is {PC}, out of the local authority area.",
        "The child is staying with a relative at {PC}.",
        "Previous address ({PC}) was not checked with the other local authority.",
        "Police attended the property at {PC} twice in one week.",
    ],
    "date of birth": [
        "DOB {D} is recorded on the referral form.",
        "Child born {D} was not seen by the health visitor.",
        "Date of birth: {D}; the age on the plan is wrong.",
        "The sibling (D.O.B. {D}) was not considered in the assessment.",
        "Baby was born on {D} at 34 weeks.",
        "Referral gives the younger child's date of birth as {D}.",
    ],
    "NHS number": [
        "GP record {N} shows no follow-up after the A&E attendance.",
        "NHS no. {N} was used to check the child protection information system.",
        "Health records under NHS number {N} were not shared with the conference.",
        "The child's NHS number ({N}) is on the strategy discussion record.",
        "School nurse checked {N} against the health record.",
    ],
    "e-mail address": [
        "Mother asked to be contacted at {E} rather than by post.",
        "The report was sent to {E} without encryption.",
        "Father's e-mail {E} is on the contact sheet.",
        "School forwarded the concern from {E} to the MASH.",
        "Foster carer ({E}) sent the diary to the worker.",
    ],
}

# Ordinary audit prose: no personal data, but full of capitalised domain terms, agencies, places,
# months, days and words that are also first names. {d} is a recent date (not a date of birth).
NEUTRAL = [
    "Strategy Discussion held within 24 hours; Police and Health attended.",
    "Initial Child Protection Conference convened on day 14, within timescale.",
    "Core Group met fortnightly and minutes are on file.",
    "Early Help Assessment completed by the Family Support Worker.",
    "Section 47 enquiry started the same day as the referral.",
    "MASH checks were completed within 4 hours of the contact.",
    "Child Protection Plan under the category of Neglect.",
    "Police Officer from the Public Protection Unit attended the meeting.",
    "Social Worker Team Manager oversight is recorded every week.",
    "Good Practice noted in the chronology and the case summary.",
    "Clear Rationale for step-down to Early Help is recorded.",
    "Strong Voice of the Child throughout the assessment.",
    "Timely Health Assessment completed for the Looked After Child.",
    "Limited Evidence of Management Oversight after the second referral.",
    "Further Strategy Discussion was needed but not held.",
    "Barnardo's and the NSPCC were both involved with the family.",
    "Cafcass report filed before the Family Court hearing.",
    "Referral to CAMHS was accepted after eight weeks.",
    "West Yorkshire Police shared the domestic abuse notification the next morning.",
    "Kent Police and the local authority agreed a joint visit.",
    "The child was placed out of area in Devon with a specialist provider.",
    "Reviewed in May and again in June with no change to the plan.",
    "May 2026 review found the actions had not been completed.",
    "April half-term saw two missing episodes.",
    "The August Bank Holiday weekend was not covered by the safety plan.",
    "Mother Present: yes. Father Present: no.",
    "Mother Reported concerns about the new partner.",
    "Child Seen Alone: yes, at school.",
    "Father Unknown is recorded on the birth certificate section of the form.",
    "Will the plan be reviewed at the next Core Group?",
    "Hope is evident in the family's engagement with the Family Hub.",
    "Mark the plan as reviewed once the actions are signed off.",
    "Grace period of two weeks agreed for the school place.",
    "Joy at school was noted by the class teacher in the report.",
    "Faith groups were not consulted in the Child in Need plan.",
    "Rose to 12 incidents in the quarter before the referral.",
    "Amber rating given at the Multi-Agency Risk Assessment Conference.",
    "Red flags in the chronology were not acted on.",
    "Green rating for the health actions at the last review.",
    "Young Carers Service offered support but the family declined.",
    "Case closed without a Step Down plan.",
    "Moved from Leeds to Bradford during the period under review.",
    "Clare's Law disclosure was made to the mother.",
    "Sarah's Law application was considered but not made.",
    "The young person was judged Gillick competent by the GP.",
    "Signs of Safety mapping completed at the Core Group.",
    "Working Together 2023 timescales were met for the assessment.",
    "Visit on Monday and Thursday; the child was seen both times.",
    "The Designated Safeguarding Lead and the Head Teacher met with the family.",
    "Health Visitor, School Nurse and the Named GP all contributed.",
    "Independent Reviewing Officer chaired the Looked After Review.",
    "LADO consulted about the allegation against a member of staff.",
    "The child was seen alone on {d} and their words are recorded.",
    "Home visit on {d} found the home conditions improved.",
    "Core Group on {d} agreed the contingency plan.",
    "Strategy Discussion on {d} decided on a single-agency investigation.",
    "Case M2603-017 reviewed; Good practice evident in Safety Planning.",
    "Score 4 of 10 on the Graded Care Profile; plan reviewed at week 6.",
    "Probation shared MAPPA level 2 status with the conference.",
    "Year 6 pupil; attendance 88% this academic year.",
    "Family Group Conference was offered and accepted by the family.",
    "Paediatric assessment at the Children's Hospital found no injuries.",
    "Emergency Department attendance was shared with the School Nurse.",
    "Youth Justice Service and the Virtual School Head attended.",
    "Housing Options were asked for a priority move.",
    "The Public Law Outline meeting was held in September.",
    "Interim Care Order granted in the Family Court.",
    "Special Guardianship assessment of the paternal grandparents started.",
    "Team Manager decision recorded with a clear rationale.",
    "Polish interpreter used for all visits to the family.",
    "Arabic interpreter was not booked for the Core Group.",
    "Chelsea and Westminster Hospital shared the discharge summary.",
    "Florence Nightingale Ward staff raised the concern.",
    "Devon County Council agreed to share the previous records.",
    "The family lives in Stanley, County Durham, since last year.",
    "Domestic Abuse Advocate (IDVA) offered support after the MARAC.",
    "Contextual Safeguarding meeting about the park near the school.",
    "Child Exploitation screening tool completed; risk assessed as medium.",
    "Return Home Interview completed within 72 hours.",
    "Education Welfare Officer visited twice about attendance.",
    "Mental Health Practitioner in Schools worked with the young person.",
    "Team Around the Family met in the Family Hub in March.",
    "Child in Need plan reviewed every six weeks as required.",
    "Supervision notes show the Practice Supervisor challenged drift.",
    "Threshold for Section 17 was met at the point of referral.",
    "Multi-Agency Safeguarding Hub shared the information with Health.",
    "The Police Constable completed a DASH risk assessment.",
    "Midwifery shared the pre-birth concerns at 20 weeks.",
    "Pre-birth assessment was completed before the baby was born.",
    "Neglect Toolkit completed with the family in October.",
    "Early Help Coordinator stepped the case down on Friday.",
    "Action for Children provided the parenting programme.",
    "Women's Aid refuge place was offered in another area.",
    "The Children's Society ran the return interviews.",
    "Relate sessions were offered but not taken up.",
    "Kooth and Childline details were given to the young person.",
    "Turning Point supported the father with alcohol use.",
    "Citizens Advice helped the family with a benefits claim.",
    "Home Office delays affected the family's housing.",
    "Christmas and Easter holidays were covered by the plan.",
    "Ramadan was taken into account when planning the visits.",
    "Visits in January, February and March were all on time.",
    "Sunday contact was moved to Saturday at the family's request.",
    "Dental check overdue; Looked After Child health plan updated.",
    "The Virtual School raised the Personal Education Plan targets.",
    "Graded Care Profile 2 was used to evidence neglect.",
    "Decision to hold an ICPC was made by the Team Manager.",
    "RCPC held on time; plan continued under Emotional Abuse.",
    "Review Child Protection Conference agreed to end the plan.",
    "SEND team and the SENCO attended the review.",
    "Education Health and Care Plan is in place.",
    "Frank discussion with the parents about the risks was recorded.",
    "Max 3 visits a week were agreed with the provider.",
    "Bill of costs from the legal team was not relevant to practice.",
    "Sunny Bank Children's Centre offered a place at the stay and play.",
    "Early Years Practitioner shared observations from nursery.",
    "St Mary's Primary School made the referral on a Tuesday.",
    "Victoria Road Surgery did not respond to the request for information.",
]


# The fresh notes: names, templates and prose written after the guard's rules were finished, and
# scored once. None of these names or sentences is in the tuning or held-out notes.
FRESH_ORIGINS: dict[str, tuple[str, str, str]] = {
    "polish": ("Antonina Liliana Martyna Milena Kornelia Patrycja Kinga",
               "Nikodem Tymoteusz Mikołaj Oskar Hubert Miłosz Konrad Patryk",
               "Kaczmarek Zając Król Wieczorek Jabłońska Majewski Olszewska Stępień"),
    "romanian": ("Georgiana Florentina Nicoleta Loredana Oana", "Ciprian Cătălin Dorin Liviu Ovidiu",
                 "Bălan Niculescu Cristea Enache Zamfir"),
    "baltic": ("Goda Urtė Viltė Rugilė", "Kajus Benas Rokas Ignas", "Jonaitis Petraitytė Balčiūnas Navickas"),
    "ukrainian": ("Polina Zlata Varvara Khrystyna", "Nazar Kyrylo Danylo Illia",
                  "Hrytsenko Moroz Pavlenko Kuzmenko"),
    "balkan": ("Fjolla Jehona Blerta Mimoza", "Endrit Mergim Valon Ardit", "Morina Bytyqi Rexhepi Selimi"),
    "indian": ("Aditi Anjali Ishani Tanvi Navneet Amrit", "Kabir Dhruv Yuvraj Arnav Gurdeep Sahil",
               "Bhatt Verma Saini Grewal Rao Menon"),
    "pakistani": ("Aleena Areeba Hafsa Rimsha Laiba Zoha", "Arham Rayyan Zain Talha Husnain Umair",
                  "Shafique Nawaz Abbasi Siddiqui Kiani Mirza"),
    "bangladeshi": ("Afsana Sharmin Nazma Tasnim", "Sabbir Rakib Nayeem Shuvo", "Mia Bhuiyan Sheikh Mollah"),
    "tamil_nepali": ("Harini Keerthana", "Vithushan Thanushan Bishal Sujan", "Yogarajah Gurung Thapa Tamang"),
    "yoruba": ("Eniola Ifeoluwa Simisola Tolulope Jumoke", "Ayomide Olamilekan Timilehin Pelumi Oreoluwa",
               "Ogunsanya Adebisi Oduya Fasanya Alabi"),
    "igbo": ("Chioma Ijeoma Nkechi Zikora", "Chibuike Ifeanyi Ikechukwu Kenechukwu Nzube",
             "Okoye Nnadi Ezeh Obiora Agu"),
    "ghanaian": ("Afia Ekua Dzifa Selasi Maame", "Kwasi Kobina Ekow Nii Selorm",
                 "Quaye Tetteh Adjei Frimpong Sarpong"),
    "west_african": ("Fatmata Mariama Isatu Adama", "Lamin Ebrima Foday Alieu",
                     "Kamara Sesay Conteh Jallow Ceesay"),
    "somali": ("Deeqa Idil Nasteho Sahra", "Mukhtar Sakariye Hamse Abdiwali", "Adan Ibrahim Abdillahi Hirsi"),
    "horn_and_sudan": ("Luwam Semhar Winta Tasneem", "Natnael Yohannes Mussie Mujtaba",
                       "Habte Kahsay Gebru Elamin"),
    "southern_african": ("Tariro Vimbai Rumbidzai Lerato Naledi", "Tapiwa Tawanda Munashe Kabelo Lwazi",
                         "Maposa Zulu Mokoena Gumbo Chirwa"),
    "congolese": ("Dorcas Naomie Jemima", "Trésor Héritier Landry Chadrack", "Lukusa Mputu Ngalula Kasongo"),
    "arabic": ("Malak Rahaf Lamar Jumana Shahd", "Laith Anas Fadi Majd Zaid",
               "Darwish Jaber Awad Suleiman Farouk"),
    "kurdish_afghan_iranian": ("Rozhin Shilan Nazanin Mursal", "Rebin Karzan Mirwais Omid Arash",
                               "Mahmoudi Jafari Popalzai Sadiqi Barzinji"),
    "turkish": ("Ecrin Defne Azra Sude", "Yiğit Efe Poyraz Kaan", "Arslan Doğan Koç Öztürk"),
    "east_asian_filipino": ("Yan Qian Mylene Maribel", "Bao Khanh Jomar Rodel", "Huang Zhao Vu Dang Mendoza"),
    "caribbean": ("Kezia Imani Zuri Ayanna", "Kemar Romario Tevin Kymani", "Forbes Bennett Lindo Barrett"),
    "british_irish": ("Aoife Saoirse Ffion Seren Gracie Maisie Esme Darcie Lowri",
                      "Oisín Cian Dafydd Osian Hamish Reggie Teddy Arlo Jenson",
                      "Price Bell Cooper Quinn Gallagher Byrne Pritchard Morrison"),
    "traveller": ("Bridie Josie", "Paddy Davey Levi", "Stokes Keenan Gaskin"),
    "word_names": ("Charity Unity Peace Marvellous Goodness Treasure Honour Harmony Liberty",
                   "Justice Godspower Wisdom Praise Lucky Royal Major Rocky Ace",
                   "Banda Mwale Okoro Boateng Chanda Phiri"),
}

FRESH_NAME_TEMPLATES = [
    "{Rc} {F} {S} attended the Review Child Protection Conference and contributed.",
    "Record shows {F} stayed with {R} {F2} for the weekend.",
    "At the visit {F} showed the worker her bedroom.",
    "{F}, the {R}, rang the duty line twice.",
    "Concerns raised by {R} {F} were not shared with Police.",
    "{F} {S} (mother's partner) has not been assessed.",
    "Mr {S} attended the Core Group for the first time.",
    "The young person, {F}, asked for a male worker.",
    "Worker observed {F} playing with {F2}.",
    "{F} has been excluded from school twice this term.",
    "Email from Mrs {S} asked for the meeting to be moved.",
    "Grandparents {F} and {F2} {S} offered to care for the children.",
    "Child's views: {F} says she likes her new school.",
    "{F} {S}, {A}, disclosed that she had been hit with a belt.",
    "No consideration of {F}'s needs as a child with a disability.",
    "Younger brother {F} was not seen during the Section 47 enquiry.",
    "Interpreter used when speaking with {F} {S}.",
    "School reported that {F} arrived late and hungry most days.",
    "The assessment is about {F}, but the plan names her sister.",
    "{F} and his mother moved in with {F2} {S} in the summer.",
    "Police Protection was used when {F} was found at 2am.",
    "Initial Health Assessment for {F} completed late.",
    "{F} ({A}) is on a Child in Need plan.",
    "Contact between {F} and her father was stopped.",
    "Chronology does not include {F}'s hospital admission.",
    "Miss {S} said the children were often left alone.",
    "{F} told the IRO she wanted to go home.",
    "Notes refer to the child as '{F}' throughout.",
]

FRESH_OTHER_TEMPLATES = {
    "phone number": [
        "Mobile for the mother changed to {P} last month.",
        "Number on file ({P}) was disconnected.",
        "The grandmother's landline {P} was not tried.",
        "Call-back requested on {P}.",
    ],
    "postcode": [
        "Grandparents live at {PC}, which was never visited.",
        "New tenancy at {PC} from the spring.",
        "The young person was found at an address in {PC}.",
    ],
    "date of birth": [
        "Sibling born {D} is not on the plan.",
        "DOB: {D} (from the health record).",
        "Younger child's date of birth {D} is wrong on the referral.",
    ],
    "NHS number": [
        "Health record {N} was not checked before the conference.",
        "NHS No {N} recorded on the medical.",
        "CP-IS flag was set on NHS number {N}.",
    ],
    "e-mail address": [
        "Father wants letters sent to {E}.",
        "The plan was e-mailed to {E} by mistake.",
        "Referral came in from {E} on a Friday night.",
    ],
}

FRESH_NEUTRAL = [
    "Voice Of The Child: captured well in the plan.",
    "Management Oversight: evident at key decision points.",
    "Triple P parenting programme was offered to both parents.",
    "Freedom Programme completed by the mother in June.",
    "Caring Dads programme was not available locally.",
    "Incredible Years group started in the autumn.",
    "Great Ormond Street Hospital shared the discharge letter.",
    "Seen at the Sunflower Centre for a child protection medical.",
    "Placed at Rowan House children's home after the breakdown.",
    "Harmony Team provided family support for twelve weeks.",
    "The Hope Project worked with the young person on exploitation.",
    "Brook clinic offered sexual health advice.",
    "Liberty Protection Safeguards do not apply to under 16s.",
    "Major incident declared at the school in March.",
    "Justice system delays affected the child's wellbeing.",
    "Honour based abuse was considered and ruled out.",
    "Summer holidays left the family without support.",
    "Autumn term attendance was 79%.",
    "Royal Mail redirection confirmed the new address.",
    "Chance to reflect in supervision was taken.",
    "Precious little evidence of direct work with the child.",
    "River Island vouchers were given at Christmas.",
    "Storm damage to the house led to an emergency move.",
    "Grant funding for the project ended in April.",
    "Rich description of the child's day in the assessment.",
    "Bradford Children's Services shared their records.",
    "Milton Keynes Council accepted the transfer in.",
    "Salford Royal Hospital shared the admission details.",
    "Moved to Stoke-on-Trent in August without telling school.",
    "Emergency Protection Order obtained out of hours.",
    "Child Arrangements Order gives the father contact.",
    "Non-Molestation Order in place against the former partner.",
    "Private Law proceedings are ongoing in the Family Court.",
    "MARAC referral made after the third incident.",
    "Operation Encompass notification received by school the next morning.",
    "National Referral Mechanism referral made for criminal exploitation.",
    "Prevent referral was considered and not made.",
    "Channel Panel did not accept the referral.",
    "Section 20 accommodation agreed with the mother.",
    "Section 31 threshold not met at the Legal Gateway Meeting.",
    "Legal Planning Meeting held; Pre-Proceedings started.",
    "Key Worker from the Youth Offending Team attended.",
    "The Child's Plan was reviewed on {d}.",
    "Independent Domestic Violence Advisor supported the mother.",
    "Paediatric Liaison Nurse shared the A&E attendance.",
    "Family Nurse Partnership ended when the baby was two.",
    "Healthy Child Programme reviews were all completed.",
    "Bank Holiday Monday visit did not happen.",
    "Tuesday, Wednesday and Friday visits were unannounced.",
    "Father Christmas visit at nursery was mentioned by the child.",
    "Mother Tongue is Polish; interpreter booked for every visit.",
    "Step-Father: not known to services.",
    "Sibling Group assessment completed on {d}.",
    "Mum Reports: the house is calmer now.",
    "Dad Attended: yes.",
    "Baby Seen: yes, on {d}.",
    "Outcome Star scores improved from 3 to 6.",
    "Hackett continuum used for the harmful sexual behaviour.",
    "Brook Traffic Light Tool was used by the school.",
    "Jay report recommendations were discussed in supervision.",
    "The Munro principles were applied to the review.",
    "Ofsted ILACS inspection judged services Good.",
    "JTAI on neglect in 2025 found weaknesses in early help.",
    "Keeping Children Safe in Education guidance was followed.",
    "Lundy model of participation used in the review.",
    "Team Around the Child met on a Thursday.",
    "Adolescent Safety Framework meeting held within 10 days.",
    "Complex Safeguarding Team took the lead.",
    "Missing From Home return interview offered and declined.",
    "Young Minds resources shared with the parent.",
    "Home-Start volunteer visited weekly.",
    "Universal Credit delays affected the rent.",
    "The Salvation Army food bank was used twice.",
    "St Giles Trust worker supported the young person.",
    "Catch22 worker attended the strategy meeting.",
    "Strategy Meeting on {d} agreed a joint visit with Police.",
]

# Postcode areas and districts for invented postcodes.
POSTCODE_DISTRICTS = ["LS6", "LS11", "BD3", "BD8", "M14", "M8", "B11", "B21", "E15", "SW9", "NG7",
                      "L8", "CF24", "S3", "HU9", "LE5", "WF1", "HD1", "OL8", "BL1", "PR1", "SR4",
                      "NE6", "TS1", "DN1", "PE1", "LU1", "SE15", "N17", "RM10", "CV1", "ST4", "WV1",
                      "G31", "EH7"]
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

EMAIL_DOMAINS = ["example.com", "example.org", "example.net", "example.co.uk"]


def _nhs_number(rng: random.Random) -> str:
    """A random ten-digit number with a valid NHS check digit."""
    while True:
        digits = [rng.randint(4, 7)] + [rng.randint(0, 9) for _ in range(8)]
        total = sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True))
        check = 11 - total % 11
        check = 0 if check == 11 else check
        if check != 10:
            s = "".join(map(str, [*digits, check]))
            shape = rng.choice(["spaced", "plain", "hyphen"])
            if shape == "spaced":
                return f"{s[:3]} {s[3:6]} {s[6:]}"
            if shape == "hyphen":
                return f"{s[:3]}-{s[3:6]}-{s[6:]}"
            return s


def _phone(rng: random.Random) -> str:
    """A number from Ofcom's drama ranges, written in one of the shapes people use."""
    n3 = f"{rng.randint(0, 999):03d}"
    choices = [
        f"07700 900{n3}", f"07700900{n3}", f"07700 900 {n3}", f"+44 7700 900{n3}",
        f"+44 (0)7700 900{n3}", f"0044 7700 900{n3}", f"07700-900-{n3}",
        f"0113 496 0{n3}", f"(0113) 496 0{n3}", f"0113-496-0{n3}", f"+44 (0)113 496 0{n3}",
        f"+44 113 496 0{n3}", f"(0113) 4960{n3}",
        f"020 7946 0{n3}", f"(020) 7946 0{n3}", f"+44 (0)20 7946 0{n3}", f"020-7946-0{n3}",
        f"0161 496 0{n3}", f"(0161) 496 0{n3}", f"0121 496 0{n3}", f"0117 496 0{n3}",
        f"0191 498 0{n3}", f"(0191) 498 0{n3}", f"029 2018 0{n3}", f"028 9649 6{n3}",
        f"01632 960{n3}", f"(01632) 960{n3}", f"(01632) 960 {n3}",
    ]
    return rng.choice(choices)


def _postcode(rng: random.Random) -> str:
    district = rng.choice(POSTCODE_DISTRICTS)
    inward = f"{rng.randint(1, 9)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"
    return f"{district} {inward}" if rng.random() < 0.9 else f"{district}{inward}"


def _date_of_birth(rng: random.Random) -> str:
    born = date(2008, 1, 1) + timedelta(days=rng.randint(0, 365 * 17))
    months = ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"]
    shape = rng.choice(["slash", "dots", "iso", "words", "short"])
    if shape == "slash":
        return f"{born.day:02d}/{born.month:02d}/{born.year}"
    if shape == "dots":
        return f"{born.day:02d}.{born.month:02d}.{born.year}"
    if shape == "iso":
        return born.isoformat()
    if shape == "short":
        return f"{born.day}/{born.month}/{born.year % 100:02d}"
    return f"{born.day} {months[born.month - 1]} {born.year}"


def _recent_date(rng: random.Random) -> str:
    """A date inside the audit period (this year or last), which is not a date of birth."""
    day = TODAY - timedelta(days=rng.randint(5, 320))
    shape = rng.choice(["slash", "iso", "words"])
    if shape == "slash":
        return f"{day.day:02d}/{day.month:02d}/{day.year}"
    if shape == "iso":
        return day.isoformat()
    months = ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"]
    return f"{day.day} {months[day.month - 1]} {day.year}"


def _ascii(text: str) -> str:
    table = str.maketrans("łŁąćęńóśźżăâîșțĂÂÎȘȚėūųįčšžĖŪčřůýáéíúöüőűçğışÇĞİŞ",
                          "lLacenoszzaaistAAISTeuuicszEUcruyaeiuououcgisCGIS")
    return text.translate(table)


class _Pools:
    """Names of one split: every second name of each origin (or all of them, for the fresh notes)."""

    def __init__(self, origins: dict[str, tuple[str, str, str]], parity: int | None) -> None:
        def half(words: str) -> list[str]:
            return [w for i, w in enumerate(words.split()) if parity is None or i % 2 == parity]

        self.origins = {origin: (half(f), half(m), half(s)) for origin, (f, m, s) in origins.items()}

    def person(self, rng: random.Random, female: bool | None = None) -> tuple[str, str, str, bool]:
        origin = rng.choice(sorted(self.origins))
        female_names, male, surnames = self.origins[origin]
        is_female = rng.random() < 0.5 if female is None else female
        first = rng.choice(female_names if is_female else male)
        return origin, first, rng.choice(surnames), is_female


def _name_sentence(rng: random.Random, pools: _Pools, templates: list[str]) -> tuple[str, str]:
    origin, first, surname, is_female = pools.person(rng)
    _, first2, _, _ = pools.person(rng, female=is_female)
    template = rng.choice(templates)
    relation = rng.choice(RELATIONS_F if is_female else RELATIONS_M)
    text = template.format(F=first, F2=first2, S=surname, R=relation, Rc=relation[0].upper() + relation[1:],
                           A=rng.randint(2, 17))
    return text, origin


def _other_sentence(rng: random.Random, kind: str, pools: _Pools, templates: list[str]) -> str:
    template = rng.choice(templates)
    if kind == "phone number":
        return template.format(P=_phone(rng))
    if kind == "postcode":
        return template.format(PC=_postcode(rng))
    if kind == "date of birth":
        return template.format(D=_date_of_birth(rng))
    if kind == "NHS number":
        return template.format(N=_nhs_number(rng))
    _, first, surname, _ = pools.person(rng)
    local = rng.choice([f"{first}.{surname}", f"{first[0]}.{surname}", f"{first}{rng.randint(1, 99)}",
                        f"{surname}.family"]).lower().replace("'", "")
    return template.format(E=f"{_ascii(local)}@{rng.choice(EMAIL_DOMAINS)}")


def _neutral(rng: random.Random, sentences: list[str]) -> str:
    return rng.choice(sentences).format(d=_recent_date(rng))


def build(split: str) -> list[dict[str, object]]:
    """The notes of one split ("tuning", "held-out" or "fresh"), in a fixed order."""
    rng = random.Random(f"{SEED}-{split}")
    if split == "fresh":
        pools = _Pools(FRESH_ORIGINS, None)
        name_templates, other_templates, neutral = FRESH_NAME_TEMPLATES, FRESH_OTHER_TEMPLATES, FRESH_NEUTRAL
    else:
        parity = 0 if split == "tuning" else 1
        pools = _Pools(ORIGINS, parity)
        name_templates = [t for i, t in enumerate(NAME_TEMPLATES) if i % 2 == parity]
        other_templates = {k: [t for i, t in enumerate(v) if i % 2 == parity] or v
                           for k, v in OTHER_TEMPLATES.items()}
        neutral = [s for i, s in enumerate(NEUTRAL) if i % 2 == parity]
    kinds = ["name"] * 10 + ["phone number"] * 3 + ["postcode"] * 2 + ["date of birth"] * 2 + \
        ["NHS number"] * 2 + ["e-mail address"] * 2
    notes: list[dict[str, object]] = []
    for i in range(NOTES_PER_SPLIT):
        sentences = [_neutral(rng, neutral) for _ in range(rng.randint(1, 3))]
        has_personal = i % 2 == 0
        entry: dict[str, object] = {"id": f"{split}-{i:03d}", "personal": has_personal, "kinds": []}
        if has_personal:
            chosen = [rng.choice(kinds)]
            if rng.random() < 0.15:
                chosen.append(rng.choice([k for k in kinds if k != chosen[0]]))
            for kind in chosen:
                if kind == "name":
                    text, origin = _name_sentence(rng, pools, name_templates)
                    entry["origin"] = origin
                else:
                    text = _other_sentence(rng, kind, pools, other_templates[kind])
                sentences.insert(rng.randint(0, len(sentences)), text)
            entry["kinds"] = sorted(set(chosen))
        entry["text"] = " ".join(sentences)
        notes.append(entry)
    return notes


def main() -> None:
    for split in ("tuning", "held-out", "fresh"):
        path = OUT / f"privacy_notes_{split.replace('-', '')}.jsonl"
        lines = [json.dumps(n, ensure_ascii=False, sort_keys=True) for n in build(split)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {len(lines)} notes to {path}")


if __name__ == "__main__":
    main()
