"""The word lists behind the synthetic site: names, places, organisations and story fragments.

Everything here is invented for demonstration. Names are common names of the communities who live
in an inner-London borough; organisations and practices are fictional; phone numbers come from
Ofcom's ranges reserved for drama; NHS numbers (made in the generator) use the 999 range that is
never issued to patients.

Proportions of ethnic groups follow the 2021 Census for Lambeth closely enough to make equity
reports look like a real borough's (about 55% White, 24% Black, 8% Mixed, 7% Asian, 3% Other).
"""

from __future__ import annotations

from dataclasses import dataclass

from livingwell.network.models import Role, Sector
from livingwell.people.models import EthnicGroup, Religion

Weighted = tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Heritage:
    """A community's names, first languages and faiths, to keep each synthetic person coherent."""

    women: tuple[str, ...]
    men: tuple[str, ...]
    family: tuple[str, ...]
    languages: Weighted = (("English", 1.0),)
    interpreter_share: float = 0.0  # of those whose first language is not English
    religions: Weighted = ((Religion.NONE, 0.5), (Religion.CHRISTIAN, 0.45), (Religion.PREFER_NOT_TO_SAY, 0.05))


def _split(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split(",") if name.strip())


HERITAGES: dict[str, Heritage] = {
    "british": Heritage(
        women=_split(
            "Sarah, Emma, Rebecca, Laura, Claire, Hannah, Charlotte, Jessica, Lucy, Katie, Sophie, Amy, Rachel,"
            " Lisa, Helen, Karen, Susan, Joanne, Nicola, Margaret, Jean, Patricia, Chloe, Megan, Ellie, Olivia,"
            " Georgia, Jade, Kelly, Tracey, Julie, Gemma, Zoe, Natalie, Victoria, Elizabeth, Alice, Ruth, Poppy"
        ),
        men=_split(
            "James, David, Michael, Daniel, Thomas, Matthew, Christopher, Andrew, Paul, Mark, Richard, Steven,"
            " Robert, John, Peter, Gary, Lee, Craig, Jamie, Ryan, Liam, Jack, Harry, Callum, Sam, Ben, Tom,"
            " Alex, Joe, George, William, Kevin, Stuart, Dean, Wayne, Keith, Colin, Graham, Oliver"
        ),
        family=_split(
            "Smith, Jones, Williams, Taylor, Brown, Davies, Evans, Wilson, Thomas, Johnson, Roberts, Robinson,"
            " Thompson, Wright, Walker, White, Edwards, Hughes, Green, Hall, Lewis, Harris, Clarke, Jackson, Wood,"
            " Turner, Martin, Cooper, Hill, Ward, Morris, Moore, Clark, Baker, Harrison, King, Morgan, Allen,"
            " James, Scott, Phillips, Watson, Davis, Parker, Bennett, Price, Griffiths, Young, Mitchell, Cook,"
            " Carter, Richardson, Bailey, Collins, Bell, Shaw, Miller, Cox, Richards, Marshall, Anderson,"
            " Simpson, Ellis, Adams, Wilkinson, Foster, Lloyd, Webb, Rogers, Gray, Holmes, Palmer, Hunt, Mason,"
            " Barker, Russell, Fisher, Butler, Stevens, Pearce, Fletcher, Smith, Smith, Jones, Taylor"
        ),
        religions=(
            (Religion.NONE, 0.52),
            (Religion.CHRISTIAN, 0.4),
            (Religion.JEWISH, 0.02),
            (Religion.BUDDHIST, 0.01),
            (Religion.OTHER, 0.01),
            (Religion.PREFER_NOT_TO_SAY, 0.04),
        ),
    ),
    "irish": Heritage(
        women=_split("Siobhan, Niamh, Aoife, Ciara, Sinead, Orla, Roisin, Mary, Bridget, Grainne, Clodagh, Deirdre"),
        men=_split("Sean, Ciaran, Declan, Padraig, Conor, Eoin, Niall, Cormac, Liam, Brendan, Kieran, Fergal"),
        family=_split(
            "Murphy, Kelly, O'Brien, Byrne, Ryan, O'Sullivan, Walsh, O'Connor, McCarthy, Doyle, Gallagher,"
            " Kennedy, Lynch, Quinn, Brennan, Fitzgerald, Nolan, Keane"
        ),
        religions=((Religion.CHRISTIAN, 0.62), (Religion.NONE, 0.34), (Religion.PREFER_NOT_TO_SAY, 0.04)),
    ),
    "traveller": Heritage(
        women=_split("Bridget, Mary, Margaret, Kathleen, Nora, Ellen, Winnie"),
        men=_split("Patrick, John, Michael, Martin, Johnny, Thomas, Francis"),
        family=_split("Ward, McDonagh, Joyce, Maughan, Connors, Stokes, Doherty, McGinley"),
        religions=((Religion.CHRISTIAN, 0.85), (Religion.NONE, 0.15)),
    ),
    "roma": Heritage(
        women=_split("Mariana, Elena, Ionela, Denisa, Roxana, Zuzana, Monika"),
        men=_split("Ion, Marian, Florin, Gheorghe, Milan, Tibor, Ladislav"),
        family=_split("Stan, Dumitru, Lakatos, Balogh, Kovac, Horvath, Rostas, Varga"),
        languages=(("Romanian", 0.4), ("Romani", 0.2), ("Slovak", 0.15), ("English", 0.25)),
        interpreter_share=0.45,
        religions=((Religion.CHRISTIAN, 0.85), (Religion.NONE, 0.15)),
    ),
    "portuguese": Heritage(
        women=_split("Maria, Ana, Sofia, Beatriz, Inês, Carla, Joana, Rita, Filipa, Catarina, Marta"),
        men=_split("João, Pedro, Luís, Carlos, Miguel, Rui, Tiago, Nuno, José, Paulo, Ricardo"),
        family=_split(
            "Silva, Santos, Ferreira, Pereira, Oliveira, Costa, Rodrigues, Martins, Sousa, Fernandes,"
            " Gonçalves, Gomes, Lopes, Marques, Freitas, Abreu, Camacho, Jardim"
        ),
        languages=(("Portuguese", 0.55), ("English", 0.45)),
        interpreter_share=0.35,
        religions=((Religion.CHRISTIAN, 0.75), (Religion.NONE, 0.22), (Religion.PREFER_NOT_TO_SAY, 0.03)),
    ),
    "spanish_latin": Heritage(
        women=_split("Lucía, María, Carmen, Camila, Valentina, Daniela, Paula, Laura, Andrea, Gabriela, Isabel"),
        men=_split("Javier, Alejandro, Carlos, Diego, Andrés, Juan, Luis, Santiago, Mateo, Miguel, Jorge"),
        family=_split(
            "García, Martínez, López, González, Rodríguez, Fernández, Sánchez, Pérez, Gómez, Díaz, Ramírez,"
            " Torres, Vargas, Castro, Herrera, Ortiz, Morales"
        ),
        languages=(("Spanish", 0.55), ("English", 0.45)),
        interpreter_share=0.35,
        religions=((Religion.CHRISTIAN, 0.7), (Religion.NONE, 0.27), (Religion.PREFER_NOT_TO_SAY, 0.03)),
    ),
    "polish": Heritage(
        women=_split("Agnieszka, Katarzyna, Anna, Magdalena, Joanna, Monika, Ewa, Marta, Aleksandra, Karolina"),
        men=_split("Piotr, Tomasz, Paweł, Krzysztof, Marcin, Michał, Łukasz, Jakub, Kamil, Adam, Grzegorz"),
        family=_split(
            "Nowak, Wójcik, Kowalczyk, Mazur, Krawczyk, Zając, Król, Wieczorek, Pawlak, Walczak, Sikora,"
            " Baran, Duda, Szulc, Michalak"
        ),
        languages=(("Polish", 0.55), ("English", 0.45)),
        interpreter_share=0.3,
        religions=((Religion.CHRISTIAN, 0.8), (Religion.NONE, 0.18), (Religion.PREFER_NOT_TO_SAY, 0.02)),
    ),
    "european": Heritage(
        women=_split("Giulia, Francesca, Chiara, Camille, Léa, Eleni, Ivana, Ieva, Elena, Anja, Ingrid"),
        men=_split("Marco, Luca, Giorgos, Nikos, Antoine, Julien, Dimitar, Mantas, Andrei, Stefan, Lars"),
        family=_split(
            "Rossi, Russo, Bianchi, Romano, Colombo, Dubois, Moreau, Papadopoulos, Georgiou, Ivanov, Petrov,"
            " Kazlauskas, Popescu, Müller, Schmidt, Jensen, Novak"
        ),
        languages=(
            ("English", 0.5),
            ("Italian", 0.14),
            ("French", 0.1),
            ("Greek", 0.07),
            ("Bulgarian", 0.06),
            ("Lithuanian", 0.06),
            ("Romanian", 0.07),
        ),
        interpreter_share=0.2,
        religions=((Religion.CHRISTIAN, 0.55), (Religion.NONE, 0.42), (Religion.PREFER_NOT_TO_SAY, 0.03)),
    ),
    "nigerian": Heritage(
        women=_split(
            "Ngozi, Chiamaka, Folake, Funmilayo, Adaeze, Bisi, Yetunde, Nkechi, Temitope, Chioma, Blessing,"
            " Grace, Abimbola, Oluwaseun"
        ),
        men=_split(
            "Oluwaseun, Tunde, Chidi, Emeka, Segun, Babatunde, Obinna, Chukwuemeka, Femi, Kunle, Ikenna,"
            " Samuel, Daniel, David"
        ),
        family=_split(
            "Adeyemi, Okafor, Okonkwo, Adebayo, Oladipo, Nwosu, Eze, Balogun, Ogunleye, Okeke, Adeleke,"
            " Ibrahim, Adewale, Afolabi, Nwachukwu, Akinola"
        ),
        languages=(("English", 0.8), ("Yoruba", 0.12), ("Igbo", 0.06), ("Hausa", 0.02)),
        interpreter_share=0.2,
        religions=((Religion.CHRISTIAN, 0.78), (Religion.MUSLIM, 0.15), (Religion.NONE, 0.07)),
    ),
    "ghanaian": Heritage(
        women=_split("Ama, Abena, Akosua, Adwoa, Efua, Yaa, Afua, Esi, Akua, Comfort, Gifty, Mercy"),
        men=_split("Kwame, Kofi, Kwabena, Kwaku, Yaw, Kojo, Kwesi, Nana, Emmanuel, Isaac, Prince"),
        family=_split(
            "Mensah, Asante, Owusu, Boateng, Osei, Appiah, Agyemang, Amoah, Addo, Darko, Ofori, Acheampong,"
            " Badu, Sarpong, Ansah"
        ),
        languages=(("English", 0.75), ("Twi", 0.2), ("Ga", 0.05)),
        interpreter_share=0.25,
        religions=((Religion.CHRISTIAN, 0.88), (Religion.MUSLIM, 0.06), (Religion.NONE, 0.06)),
    ),
    "somali": Heritage(
        women=_split("Amina, Hodan, Fartun, Ayaan, Sahra, Faduma, Hawa, Ifrah, Nimco, Sagal, Ubah"),
        men=_split("Abdi, Mohamed, Ahmed, Hassan, Abdirahman, Yusuf, Omar, Mahad, Abdullahi, Liban, Guled"),
        family=_split(
            "Abdi, Mohamed, Hassan, Ali, Farah, Warsame, Jama, Osman, Ahmed, Nur, Hersi, Egal, Duale, Ismail, Adan"
        ),
        languages=(("Somali", 0.6), ("English", 0.4)),
        interpreter_share=0.5,
        religions=((Religion.MUSLIM, 0.95), (Religion.PREFER_NOT_TO_SAY, 0.05)),
    ),
    "francophone": Heritage(
        women=_split("Grâce, Merveille, Christelle, Divine, Aminata, Mariam, Sandrine, Aïcha"),
        men=_split("Jean-Pierre, Patrick, Serge, Christian, Moussa, Didier, Fabrice, Hervé"),
        family=_split("Mbala, Kabongo, Tshibangu, Ilunga, Kouassi, Koné, Traoré, Diallo, Ndongo, Fofana, Coulibaly"),
        languages=(("French", 0.55), ("Lingala", 0.1), ("English", 0.35)),
        interpreter_share=0.4,
        religions=((Religion.CHRISTIAN, 0.68), (Religion.MUSLIM, 0.27), (Religion.NONE, 0.05)),
    ),
    "east_african": Heritage(
        women=_split("Selam, Helen, Meron, Hiwot, Semhar, Tigist, Rahel, Amal"),
        men=_split("Dawit, Yonas, Tesfaye, Samuel, Bereket, Henok, Tewodros, Abdelrahman"),
        family=_split("Tesfay, Haile, Gebremedhin, Kidane, Tekle, Berhane, Alemu, Girma, Ahmed, Mohamed"),
        languages=(("Tigrinya", 0.35), ("Amharic", 0.25), ("Arabic", 0.1), ("English", 0.3)),
        interpreter_share=0.5,
        religions=((Religion.CHRISTIAN, 0.68), (Religion.MUSLIM, 0.3), (Religion.NONE, 0.02)),
    ),
    "caribbean": Heritage(
        women=_split(
            "Marcia, Beverley, Claudette, Andrea, Simone, Shanice, Tanisha, Paulette, Yvonne, Sonia, Denise,"
            " Jacqueline, Keisha, Natasha, Chantelle, Jasmine, Monique"
        ),
        men=_split(
            "Delroy, Winston, Errol, Leon, Jermaine, Tyrone, Marlon, Clive, Courtney, Dwayne, Andre, Trevor,"
            " Lloyd, Junior, Kareem, Marcus, Devon"
        ),
        family=_split(
            "Campbell, Brown, Williams, Clarke, Grant, Francis, Henry, Thomas, Johnson, Reid, Morgan, Bailey,"
            " Stewart, Lewis, Gordon, Barrett, Powell, Edwards, Richards, Forbes, Thompson, Samuels, McKenzie,"
            " Bennett, Wright, Allen, Robinson, Walker, Gayle, Spence, Blake, Daley, Whyte, Harris, Ellis, Smith"
        ),
        religions=(
            (Religion.CHRISTIAN, 0.64),
            (Religion.NONE, 0.26),
            (Religion.OTHER, 0.05),
            (Religion.PREFER_NOT_TO_SAY, 0.05),
        ),
    ),
    "black_british": Heritage(
        women=_split("Aaliyah, Shanice, Jada, Imani, Tia, Zara, Kemi, Nia, Ebony, Amara"),
        men=_split("Jayden, Malik, Tyrese, Kai, Jamal, Reece, Elijah, Isaiah, Joshua, Kayden"),
        family=_split("Campbell, Mensah, Adeyemi, Williams, Johnson, Okafor, Clarke, Boateng, Francis, Grant"),
        religions=((Religion.CHRISTIAN, 0.55), (Religion.NONE, 0.35), (Religion.MUSLIM, 0.1)),
    ),
    "bangladeshi": Heritage(
        women=_split("Fatima, Nasrin, Rubina, Shirin, Taslima, Sumaiya, Nadia, Rokeya, Jasmin, Salma, Farzana"),
        men=_split("Abdul, Shahid, Jamal, Rafiq, Mohammed, Kamal, Anwar, Shahin, Habib, Rahim, Sohel"),
        family=_split("Ahmed, Rahman, Hussain, Islam, Uddin, Miah, Ali, Chowdhury, Hoque, Karim, Akhtar, Sarkar"),
        languages=(("Bengali", 0.42), ("Sylheti", 0.15), ("English", 0.43)),
        interpreter_share=0.45,
        religions=((Religion.MUSLIM, 0.92), (Religion.NONE, 0.04), (Religion.PREFER_NOT_TO_SAY, 0.04)),
    ),
    "indian": Heritage(
        women=_split("Priya, Anjali, Deepa, Sunita, Kavita, Neha, Pooja, Meera, Ritu, Harpreet, Simran, Divya"),
        men=_split("Raj, Sanjay, Vikram, Arjun, Rahul, Amit, Sunil, Ravi, Harjit, Gurpreet, Anil, Rohan"),
        family=_split(
            "Patel, Shah, Sharma, Singh, Gupta, Desai, Mehta, Kumar, Reddy, Nair, Iyer, Joshi, Pillai, Chopra, Malhotra"
        ),
        languages=(("English", 0.6), ("Gujarati", 0.12), ("Punjabi", 0.1), ("Tamil", 0.08), ("Hindi", 0.1)),
        interpreter_share=0.3,
        religions=(
            (Religion.HINDU, 0.45),
            (Religion.SIKH, 0.2),
            (Religion.MUSLIM, 0.1),
            (Religion.CHRISTIAN, 0.12),
            (Religion.NONE, 0.13),
        ),
    ),
    "pakistani": Heritage(
        women=_split("Ayesha, Zainab, Sana, Hina, Fatima, Saima, Amna, Nazia, Maryam, Rabia"),
        men=_split("Imran, Bilal, Usman, Asif, Tariq, Faisal, Kashif, Adnan, Hamza, Zubair"),
        family=_split("Khan, Ali, Hussain, Iqbal, Akhtar, Butt, Malik, Qureshi, Raza, Siddiqui, Mirza, Chaudhry"),
        languages=(("Urdu", 0.3), ("Punjabi", 0.15), ("English", 0.55)),
        interpreter_share=0.35,
        religions=((Religion.MUSLIM, 0.92), (Religion.NONE, 0.05), (Religion.PREFER_NOT_TO_SAY, 0.03)),
    ),
    "chinese": Heritage(
        women=_split("Mei, Jing, Hui, Xiao, Ying, Fang, Yan, Ling, Wing, Lina"),
        men=_split("Wei, Ming, Jun, Hao, Lei, Jian, Kin, Tao, Bo, Chi"),
        family=_split("Chen, Wang, Li, Zhang, Liu, Wong, Lee, Chan, Yang, Huang, Zhao, Lam, Cheung, Ho, Ng"),
        languages=(("Mandarin", 0.3), ("Cantonese", 0.25), ("English", 0.45)),
        interpreter_share=0.45,
        religions=((Religion.NONE, 0.6), (Religion.BUDDHIST, 0.2), (Religion.CHRISTIAN, 0.17), (Religion.OTHER, 0.03)),
    ),
    "other_asian": Heritage(
        women=_split("Thanh, Linh, Dilani, Nirmala, Maricel, Rosario, Sita, Parwana, Hoa, Tharshini"),
        men=_split("Nimal, Tuan, Minh, Jose, Ramesh, Ahmad, Suresh, Rajan, Bao, Dinesh"),
        family=_split(
            "Nguyen, Tran, Le, Pham, Perera, Fernando, Santos, Reyes, Cruz, Gurung, Thapa, Sivakumar, Karimi, Ahmadi"
        ),
        languages=(
            ("English", 0.4),
            ("Tamil", 0.15),
            ("Vietnamese", 0.15),
            ("Tagalog", 0.1),
            ("Nepali", 0.08),
            ("Dari", 0.07),
            ("Sinhala", 0.05),
        ),
        interpreter_share=0.45,
        religions=(
            (Religion.BUDDHIST, 0.22),
            (Religion.CHRISTIAN, 0.3),
            (Religion.HINDU, 0.2),
            (Religion.MUSLIM, 0.2),
            (Religion.NONE, 0.08),
        ),
    ),
    "arab": Heritage(
        women=_split("Layla, Nour, Rania, Yasmin, Mariam, Huda, Amira, Dalia, Salma, Reem"),
        men=_split("Omar, Yusuf, Karim, Ahmed, Khalid, Tariq, Sami, Hassan, Mahmoud, Ali"),
        family=_split(
            "Hassan, Ahmed, Ali, Mahmoud, Abdullah, Saleh, Haddad, Nasser, Khalil, Mansour, Ibrahim, Said, Youssef"
        ),
        languages=(("Arabic", 0.6), ("English", 0.4)),
        interpreter_share=0.45,
        religions=((Religion.MUSLIM, 0.85), (Religion.CHRISTIAN, 0.1), (Religion.NONE, 0.05)),
    ),
    "other_any": Heritage(
        women=_split("Elif, Ayşe, Zeynep, Camila, Valentina, Maryam, Shirin, Leyla"),
        men=_split("Mehmet, Mustafa, Emre, Diego, Mateo, Reza, Dara, Kemal"),
        family=_split("Yılmaz, Demir, Kaya, Şahin, Çelik, Rodríguez, Gómez, Vargas, Hosseini, Rezaei, Mohammadi"),  # noqa: RUF001
        languages=(("English", 0.35), ("Turkish", 0.2), ("Kurdish", 0.1), ("Spanish", 0.2), ("Farsi", 0.15)),
        interpreter_share=0.45,
        religions=((Religion.MUSLIM, 0.5), (Religion.CHRISTIAN, 0.25), (Religion.NONE, 0.25)),
    ),
}

# A profile says where a person's given name, family name and first language come from.
# Weights within an ethnic group need not add up to one.
Profile = tuple[str, str, str, float]  # (given-name heritage, family-name heritage, language heritage, weight)


@dataclass(frozen=True)
class EthnicMix:
    ethnicity: str
    weight: float  # percent of people
    profiles: tuple[Profile, ...]


def _same(*pairs: tuple[str, float]) -> tuple[Profile, ...]:
    return tuple((key, key, key, weight) for key, weight in pairs)


# Percentages close to Lambeth's 2021 Census; the last rows are people who did not say.
ETHNIC_MIX: tuple[EthnicMix, ...] = (
    EthnicMix(EthnicGroup.WHITE_BRITISH, 37.5, _same(("british", 1))),
    EthnicMix(EthnicGroup.WHITE_IRISH, 2.4, _same(("irish", 1))),
    EthnicMix(EthnicGroup.WHITE_GYPSY_TRAVELLER, 0.2, _same(("traveller", 1))),
    EthnicMix(EthnicGroup.WHITE_ROMA, 0.3, _same(("roma", 1))),
    EthnicMix(
        EthnicGroup.WHITE_OTHER,
        12.6,
        _same(("portuguese", 0.35), ("spanish_latin", 0.2), ("polish", 0.15), ("european", 0.3)),
    ),
    EthnicMix(
        EthnicGroup.BLACK_AFRICAN,
        11.6,
        _same(("nigerian", 0.38), ("ghanaian", 0.28), ("somali", 0.14), ("francophone", 0.1), ("east_african", 0.1)),
    ),
    EthnicMix(EthnicGroup.BLACK_CARIBBEAN, 7.7, _same(("caribbean", 1))),
    EthnicMix(
        EthnicGroup.BLACK_OTHER,
        3.9,
        (
            ("black_british", "caribbean", "british", 0.5),
            ("black_british", "nigerian", "british", 0.25),
            ("black_british", "ghanaian", "british", 0.25),
        ),
    ),
    EthnicMix(EthnicGroup.ASIAN_INDIAN, 1.7, _same(("indian", 1))),
    EthnicMix(EthnicGroup.ASIAN_PAKISTANI, 0.8, _same(("pakistani", 1))),
    EthnicMix(EthnicGroup.ASIAN_BANGLADESHI, 1.1, _same(("bangladeshi", 1))),
    EthnicMix(EthnicGroup.ASIAN_CHINESE, 1.5, _same(("chinese", 1))),
    EthnicMix(EthnicGroup.ASIAN_OTHER, 1.6, _same(("other_asian", 1))),
    EthnicMix(
        EthnicGroup.MIXED_WHITE_BLACK_CARIBBEAN,
        3.0,
        (
            ("british", "caribbean", "british", 0.4),
            ("caribbean", "british", "british", 0.2),
            ("british", "british", "british", 0.2),
            ("black_british", "caribbean", "british", 0.2),
        ),
    ),
    EthnicMix(
        EthnicGroup.MIXED_WHITE_BLACK_AFRICAN,
        1.4,
        (
            ("british", "nigerian", "british", 0.35),
            ("british", "ghanaian", "british", 0.25),
            ("nigerian", "british", "british", 0.2),
            ("british", "british", "british", 0.2),
        ),
    ),
    EthnicMix(
        EthnicGroup.MIXED_WHITE_ASIAN,
        1.5,
        (
            ("british", "indian", "british", 0.35),
            ("indian", "british", "british", 0.25),
            ("british", "chinese", "british", 0.2),
            ("british", "british", "british", 0.2),
        ),
    ),
    EthnicMix(
        EthnicGroup.MIXED_OTHER,
        2.5,
        (
            ("spanish_latin", "british", "british", 0.25),
            ("british", "arab", "british", 0.2),
            ("portuguese", "caribbean", "portuguese", 0.15),
            ("british", "european", "british", 0.2),
            ("black_british", "british", "british", 0.2),
        ),
    ),
    EthnicMix(EthnicGroup.OTHER_ARAB, 0.8, _same(("arab", 1))),
    EthnicMix(EthnicGroup.OTHER_ANY, 2.2, _same(("other_any", 1))),
    # People who preferred not to say, and people never asked: their names follow the same mix.
    EthnicMix(EthnicGroup.PREFER_NOT_TO_SAY, 1.5, ()),
    EthnicMix("", 4.0, ()),
)

NICKNAMES: dict[str, str] = {
    "Rebecca": "Becky",
    "Elizabeth": "Liz",
    "Christopher": "Chris",
    "Michael": "Mike",
    "Katarzyna": "Kasia",
    "Oluwaseun": "Seun",
    "Abimbola": "Bimbo",
    "Babatunde": "Tunde",
    "Chukwuemeka": "Emeka",
    "Alejandro": "Alex",
    "Margaret": "Maggie",
    "Patricia": "Trish",
    "Victoria": "Vicky",
    "Matthew": "Matt",
    "Robert": "Rob",
    "Abdirahman": "Abdi",
    "Jacqueline": "Jackie",
    "Gurpreet": "Gurps",
    "Jean-Pierre": "JP",
    "Aleksandra": "Ola",
    "Funmilayo": "Funmi",
    "Temitope": "Tope",
    "William": "Will",
    "Natalie": "Nat",
}

# Each locality's postcode districts, with the sectors that fall inside the borough.
LOCALITIES: tuple[tuple[str, tuple[tuple[str, str, float], ...]], ...] = (
    ("North Lambeth", (("SE1", "678", 0.25), ("SE11", "456", 0.35), ("SW8", "1245", 0.4))),
    (
        "Stockwell & Clapham",
        (
            ("SW9", "06789", 0.35),
            ("SW4", "06789", 0.25),
            ("SW2", "12345", 0.25),
            ("SE24", "09", 0.1),
            ("SE5", "89", 0.05),
        ),
    ),
    ("Streatham & Norwood", (("SW16", "12356", 0.45), ("SE27", "09", 0.35), ("SE19", "3", 0.1), ("SW12", "09", 0.1))),
)
LOCALITY_SHARES = (0.3, 0.4, 0.3)


def postcode_areas(districts: tuple[tuple[str, str, float], ...]) -> list[str]:
    """A locality's postcode sectors as `Locality.postcode_areas` keeps them: ("SE1", "678") -> SE1 6, SE1 7, SE1 8."""
    return [f"{district} {digit}" for district, digits, _ in districts for digit in digits]


# Letters allowed in the last two characters of a UK postcode.
INCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
POSTCODE_PATTERN = r"^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][ABD-HJLNP-UW-Z]{2}$"

STREETS: dict[str, tuple[str, ...]] = {
    "North Lambeth": _split(
        "Lower Marsh, Kennington Road, Lambeth Walk, Black Prince Road, Wandsworth Road, South Lambeth Road,"
        " Kennington Lane, Vauxhall Walk, Cleaver Square, Lambeth Road, Brook Drive, Hayles Street,"
        " Wyvil Road, Landsdowne Gardens, Kennington Oval, Harleyford Road, Fentiman Road"
    ),
    "Stockwell & Clapham": _split(
        "Stockwell Road, Clapham Road, Brixton Road, Acre Lane, Coldharbour Lane, Railton Road, Brixton Hill,"
        " Landor Road, Lambert Road, Clapham Park Road, Atlantic Road, Effra Road, Dulwich Road, Loughborough Road,"
        " Santley Street, Ferndale Road, Hayter Road, Tulse Hill, Stockwell Park Road, Mayall Road"
    ),
    "Streatham & Norwood": _split(
        "Streatham High Road, Mitcham Lane, Norwood Road, Knights Hill, Gipsy Hill, Leigham Court Road,"
        " Becmead Avenue, Norwood High Street, Thurlow Park Road, Valley Road, Pendle Road, Woodbourne Avenue,"
        " Wolfington Road, Crown Dale, Hermitage Road, Lewin Road, Drewstead Road, Leigham Vale"
    ),
}
ESTATES: dict[str, tuple[str, ...]] = {
    "North Lambeth": _split("Ethelred Estate, Cotton Gardens Estate, Vauxhall Gardens Estate, Wyvil Estate"),
    "Stockwell & Clapham": _split("Stockwell Park Estate, Myatts Field North, Loughborough Estate, Tulse Hill Estate"),
    "Streatham & Norwood": _split("Fenwick Estate, Knights Walk, Woodvale Estate, Cressingham Gardens"),
}

PLACES: dict[str, tuple[str, ...]] = {
    "North Lambeth": _split(
        "Kennington Park, Vauxhall City Farm, Archbishop's Park, the library on Lambeth Walk, Jubilee Gardens"
    ),
    "Stockwell & Clapham": _split(
        "Brockwell Park, Clapham Common, Brixton Library, Brixton Village, the Black Cultural Archives,"
        " Myatt's Fields, Ruskin Park, Brixton Rec, Windrush Square"
    ),
    "Streatham & Norwood": _split(
        "Streatham Common, the Rookery, Norwood Park, West Norwood Library, the Streatham Space Project,"
        " Norwood Feast market, Streatham Ice Rink"
    ),
}

# (name, sector, key, email domain). Fictional partners of a Lambeth-like network.
ORGANISATIONS: tuple[tuple[str, Sector, str, str], ...] = (
    ("South Thames Mental Health NHS Foundation Trust", Sector.NHS_TRUST, "trust", "souththames.example.org"),
    ("Lambeth Council Adult Social Care", Sector.LOCAL_AUTHORITY, "council", "council.example.org"),
    ("Brixton Community Wellbeing", Sector.VOLUNTARY, "wellbeing", "brixtonwellbeing.example.org"),
    ("Thrive Together Lambeth", Sector.VOLUNTARY, "thrive", "thrivetogether.example.org"),
    ("Southside Recovery Collective", Sector.PEER_LED, "peers", "southside.example.org"),
    ("Kennington Park Medical Centre", Sector.PRIMARY_CARE, "gp_north", "kenningtonpark.example.org"),
    ("Acre Lane Surgery", Sector.PRIMARY_CARE, "gp_central", "acrelane.example.org"),
    ("Norwood Road Group Practice", Sector.PRIMARY_CARE, "gp_south", "norwoodroad.example.org"),
    ("Lambeth Homes Partnership", Sector.HOUSING, "housing", "lambethhomes.example.org"),
    ("Working Well Lambeth", Sector.OTHER, "employment", "workingwell.example.org"),
)
GP_KEYS = ("gp_north", "gp_central", "gp_south")  # one practice per locality, in LOCALITIES order

TEAM_NAMES = tuple(f"{name} Living Well team" for name, _ in LOCALITIES)
TEAM_DESCRIPTION = (
    "A multidisciplinary team of peer workers, recovery workers, mental health practitioners, psychology,"
    " psychiatry, social work, housing and employment support from the partners of the network, working"
    " with people in {locality} where and when they ask."
)

# Who is in each locality team, from which organisation, with their job title and how often they are
# allocated to someone compared with a recovery worker.
TEAM_ROLES: tuple[tuple[Role, str, str, int, float], ...] = (
    (Role.TEAM_LEADER, "trust", "Living Well team leader", 1, 0.1),
    (Role.PEER_WORKER, "peers", "Peer support worker", 3, 1.0),
    (Role.RECOVERY_WORKER, "wellbeing", "Recovery worker", 2, 1.2),
    (Role.RECOVERY_WORKER, "thrive", "Community recovery worker", 1, 1.2),
    (Role.MENTAL_HEALTH_PRACTITIONER, "trust", "Mental health practitioner", 3, 1.0),
    (Role.PSYCHOLOGIST, "trust", "Clinical psychologist", 1, 0.3),
    (Role.PSYCHIATRIST, "trust", "Consultant psychiatrist", 1, 0.2),
    (Role.SOCIAL_WORKER, "council", "Social worker", 1, 0.5),
    (Role.HOUSING_OFFICER, "housing", "Housing and tenancy officer", 1, 0.3),
    (Role.EMPLOYMENT_SPECIALIST, "employment", "Employment specialist (IPS)", 1, 0.3),
)
# Roles added as a site grows, so that caseloads stay near CASELOAD at any scale.
GROWTH_ROLES: tuple[tuple[Role, str, str, float], ...] = (
    (Role.RECOVERY_WORKER, "wellbeing", "Recovery worker", 1.2),
    (Role.PEER_WORKER, "peers", "Peer support worker", 1.0),
    (Role.MENTAL_HEALTH_PRACTITIONER, "trust", "Mental health practitioner", 1.0),
)
CASELOAD = 28

# Staff who work across the site rather than in one team: (role, organisation, job title, count).
SITE_ROLES: tuple[tuple[Role, str, str, int], ...] = (
    (Role.HUB_COORDINATOR, "trust", "Living Well Hub coordinator", 3),
    (Role.HUB_COORDINATOR, "wellbeing", "Hub community navigator", 1),
    (Role.ANALYST, "council", "Public health analyst", 1),
    (Role.ANALYST, "trust", "Performance and insight analyst", 1),
    (Role.SITE_ADMINISTRATOR, "council", "Living Well network manager", 1),
    (Role.SITE_ADMINISTRATOR, "trust", "Systems administrator", 1),
    (Role.PRIVACY_OFFICER, "trust", "Information governance lead (Caldicott)", 1),
)

# Where introductions come from (percent), and which partner made them when one did. Living Well
# Lambeth's front door hears from about 6,000 to 7,500 people a year: GPs and people themselves most.
SOURCES: tuple[tuple[str, float, str | None], ...] = (
    ("self", 30, None),
    ("gp", 35, "gp"),
    ("family_friend", 8, None),
    ("voluntary", 8, "voluntary"),
    ("nhs_service", 7, "trust"),
    ("housing", 4, "housing"),
    ("local_authority", 4, "council"),
    ("police", 2, None),
    ("other", 2, None),
)
# Sources through the public journey (the person, or someone close to them) rather than a professional.
PUBLIC_SOURCES = frozenset({"self", "family_friend"})
# More people come in January to March and in the autumn; fewer in August and over Christmas.
MONTH_WEIGHTS = (1.3, 1.2, 1.15, 0.95, 0.95, 0.9, 0.88, 0.72, 1.15, 1.2, 1.05, 0.9)
CHRISTMAS_WEIGHT = 0.45  # 22 December to 1 January
# Monday first. Professionals introduce on working days; people themselves also in the evening and at weekends.
PROFESSIONAL_WEEKDAY_WEIGHTS = (1.15, 1.05, 1.0, 1.0, 0.95, 0.06, 0.03)
PUBLIC_WEEKDAY_WEIGHTS = (1.0, 1.0, 0.95, 0.95, 0.85, 0.7, 0.8)
PROFESSIONAL_HOURS: tuple[tuple[int, float], ...] = (
    (8, 4), (9, 10), (10, 12), (11, 12), (12, 9), (13, 9), (14, 11), (15, 11), (16, 10), (17, 6), (18, 2),
)  # fmt: skip
PUBLIC_HOURS: tuple[tuple[int, float], ...] = (
    (0, 2), (1, 1.5), (2, 1), (6, 1), (7, 2), (8, 3), (9, 4), (10, 5), (11, 5), (12, 5), (13, 5), (14, 5),
    (15, 5), (16, 5), (17, 5), (18, 6), (19, 7), (20, 8), (21, 8), (22, 6), (23, 4),
)  # fmt: skip
# How much longer than usual people wait for a first conversation, by the month they were introduced:
# the winter backlog (introductions pile up after Christmas) and the summer holidays.
WAIT_MONTH_FACTORS = (1.3, 1.25, 1.1, 0.95, 0.85, 0.85, 0.9, 1.05, 0.95, 1.0, 1.05, 1.25)
WAIT_MEDIAN_DAYS = 18.0  # Living Well UK reports first conversations typically 14 to 25 days after introduction
WAIT_SPREAD = 0.5  # sigma of the lognormal wait
URGENT_SHARE = 0.075

# The front door's outcomes (percent of introductions that reached a first conversation, or did not).
WITHDRAWN_SHARE = 0.035
UNREACHABLE_SHARE = 0.03
REOPENED_SHARE = 0.15  # of the withdrawn and unreachable, later reopened
OUTCOMES: tuple[tuple[str, float], ...] = (
    ("support", 70),
    ("community", 15),
    ("handover", 7),
    ("nothing_further", 8),
)

# Where first conversations happen (the person chooses), and how often each is chosen.
PLACE_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("cafe", 24),
    ("phone", 22),
    ("gp_practice", 14),
    ("home", 12),
    ("video", 9),
    ("park", 8),
    ("drop_in", 11),
)
CAFES: dict[str, tuple[str, ...]] = {
    "North Lambeth": _split(
        "the café at Vauxhall City Farm, the Lower Marsh market café, the café in Kennington Park,"
        " the café at the library on Lambeth Walk"
    ),
    "Stockwell & Clapham": _split(
        "the café in Brockwell Park, a café in Brixton Village, the café at the Black Cultural Archives,"
        " the café on Clapham Common bandstand, the café in Myatt's Fields"
    ),
    "Streatham & Norwood": _split(
        "the café at the Rookery, the café at West Norwood Library, the café on Streatham Common,"
        " a café on Norwood High Street"
    ),
}
DROP_INS: dict[str, str] = {
    "North Lambeth": "the Living Well drop-in at the library on Lambeth Walk",
    "Stockwell & Clapham": "the Living Well Hub drop-in, Brixton",
    "Streatham & Norwood": "the Living Well drop-in at the Streatham Space Project",
}
MEETING_NOTES = (
    "Mornings are better for me.",
    "Please not near where I live.",
    "Somewhere quiet, please. I find crowds hard.",
    "I would like to bring my sister with me.",
    "After 4pm, when the children are back from school.",
    "Please do not leave a voicemail; my partner listens to them.",
    "Somewhere step-free, please.",
    "I would rather talk on the phone first, then meet.",
    "Not on Fridays (Jumu'ah).",
    "Somewhere I can bring my dog.",
)
FAMILY_INTRODUCERS: tuple[tuple[str, float], ...] = (
    ("Mother", 18),
    ("Father", 6),
    ("Sister", 14),
    ("Brother", 8),
    ("Daughter", 10),
    ("Son", 6),
    ("Partner", 14),
    ("Friend", 18),
    ("Neighbour", 4),
    ("Aunt", 2),
)
# Who introduces from each partner, as they describe themselves (relationship to the person).
PROFESSIONAL_TITLES: dict[str, tuple[str, ...]] = {
    "gp": ("GP", "GP", "GP partner", "Practice nurse", "Social prescribing link worker"),
    "housing": ("Housing officer", "Tenancy sustainment officer"),
    "local_authority": ("Social worker", "Early help worker", "Council welfare adviser"),
    "voluntary": ("Support worker", "Community navigator", "Volunteer coordinator"),
    "nhs_service": ("Talking therapies practitioner", "A&E liaison nurse", "Community midwife", "Health visitor"),
    "police": ("Police officer", "Police community support officer"),
    "other": ("Jobcentre work coach", "Pastor", "College welfare officer", "Food bank volunteer"),
}
# What someone else said when they made the introduction ({name}: the person's first name).
INTRODUCER_WORDS: dict[str, tuple[str, ...]] = {
    "family_friend": (
        "{name} has not left the flat for weeks and hardly answers the phone. I am worried.",
        "Since losing their job {name} has been very low and is drinking more.",
        "{name} is not sleeping and seems frightened all the time. They said they would talk to someone.",
        "{name} has been through a lot this year and is struggling to cope. They asked me to get in touch.",
        "I am worried about {name}. They have stopped eating properly and keep saying they are a burden.",
    ),
    "gp": (
        "Low mood and poor sleep for several months. Not keen on medication; would like community support.",
        "Anxiety with panic attacks, worse since a bereavement. Would value someone to talk to near home.",
        "Recently finished with the home treatment team. Would benefit from ongoing support in the community.",
        "Long-standing depression, socially isolated. Agrees to an introduction to Living Well.",
        "Struggling since the birth of their baby. Low mood, tearful, some intrusive thoughts; no plans to act on them.",
        "Hearing voices again after stopping medication. Wants support to think about options.",
        "Stress and low mood related to debt and housing. Would like practical help and someone to talk to.",
    ),
    "housing": (
        "Rent arrears and at risk of losing the tenancy. {name} seems very low and isolated.",
        "Neighbours concerned about {name}'s wellbeing. Flat in poor condition; {name} agreed to support.",
        "Recently housed from temporary accommodation. Struggling to settle and feeling low.",
    ),
    "local_authority": (
        "Carer for a parent and exhausted. Would like support for themself.",
        "Known to adult social care for a care package; mental health has got worse this winter.",
        "Council tax and benefit problems; very anxious and not opening letters.",
    ),
    "voluntary": (
        "Comes to our food bank. Has talked about feeling hopeless and would like to speak to someone.",
        "Attends our peer group. Things have got harder lately and they asked for more support.",
        "Met at our advice session. Very low after the end of a relationship; agreed to an introduction.",
    ),
    "nhs_service": (
        "Seen in A&E after a panic attack. Would like follow-up support in the community.",
        "Finished a course of talking therapy; would still like support with isolation and work.",
        "Parent of a six-month-old, low mood, little family support nearby.",
    ),
    "police": (
        "Welfare check after a call from a neighbour. {name} said they would like someone to contact them.",
        "Spoke with {name} after an incident in the street. Distressed; agreed to an introduction.",
    ),
    "other": (
        "{name} has been finding things very hard and asked me how to get some help.",
        "Struggling with work and money; asked for an introduction to mental health support.",
    ),
}
WITHDRAWN_REASONS = (
    "Feeling better now and does not want support at the moment.",
    "Getting support through their employer's counselling service.",
    "Moving out of London next month.",
    "Said it is not the right time; will get in touch when ready.",
    "Their family is supporting them and they would rather not meet someone new.",
    "Started talking therapy with Lambeth Talking Therapies.",
    "Did not want to be introduced; said they will ask for help themself if they need it.",
)
UNREACHABLE_NOTES = (
    "Three calls at different times, a text and a letter with the Hub's number. No reply.",
    "Phone goes to voicemail and the mailbox is full. Texted and wrote; nothing back.",
    "Number not in use. Wrote to the address we have and asked the GP practice to pass on our details.",
    "Calls, texts and an email over three weeks. Left our number each time.",
)
REOPEN_NOTES = (
    "They called the Hub back and would like to meet.",
    "Their GP got in touch again: they are ready now.",
    "Texted back after our letter.",
    "Their sister rang to say they would like to try again.",
)
NOT_ATTENDED_NOTES = (
    "Did not come. We texted to check they were OK and to offer another time.",
    "Did not answer the phone at the booked time. Left a message.",
    "Had to go to a hospital appointment; will rebook.",
)
COMMUNITY_OFFERS = (
    "Walking group in Brockwell Park on Wednesdays (Brixton Community Wellbeing).",
    "Thrive Together peer group on Tuesday evenings.",
    "Working Well Lambeth for employment advice.",
    "Citizens Advice about benefits and debt.",
    "Cookery club at the Norwood Feast market.",
    "Men's Shed in Streatham.",
    "Lambeth Talking Therapies self-introduction, with help to fill in the form.",
    "Allotment volunteering at Vauxhall City Farm.",
    "Choir at the Streatham Space Project.",
    "Southside Recovery Collective's drop-in on Fridays.",
)
# (service, organisation key or "" for one outside the network, why)
HANDOVERS: tuple[tuple[str, str, str], ...] = (
    ("Early intervention in psychosis team", "trust", "First episode of hearing voices; wants specialist help."),
    ("Community drug and alcohol service", "", "Wants help to cut down drinking before anything else."),
    ("Eating disorders service", "trust", "Restricting food for months; agreed to a specialist assessment."),
    ("Perinatal mental health team", "trust", "Low mood and intrusive thoughts since the birth of their baby."),
    ("Talking therapies (CBT for PTSD)", "", "Flashbacks after an assault; wants trauma-focused therapy."),
    ("Memory assessment service", "trust", "Family worried about memory; the person agreed to an assessment."),
    ("Home treatment team", "trust", "In crisis; needs daily contact for a while. We will stay in touch."),
)
HANDOVER_FOLLOW_UPS = (
    "Seen by the team and has a plan. Knows they can come back to Living Well.",
    "First appointment booked; we will check in again after it.",
    "Waiting for an appointment. We stay in touch every two weeks until then.",
    "Getting what they went for. Would like a peer worker too, later.",
)
AGREED_NOTES: dict[str, tuple[str, ...]] = {
    "support": (
        "Agreed to meet weekly for now, at the same place.",
        "Will meet a peer worker next week; help with a benefits letter first.",
        "Would like help with sleep and getting out of the house; next meeting on Thursday.",
        "Start with phone calls, then meet in person when ready.",
    ),
    "community": (
        "Happy to try a group first; knows they can come back to us at any time.",
        "Gave details of the groups; we will ring in a month to see how it is going.",
    ),
    "handover": ("We will follow up to make sure they are getting what they went for.",),
    "nothing_further": (
        "Talking it through helped; nothing more needed now. Knows how to come back.",
        "Already has support from family and GP; wanted to know we are here.",
    ),
}
# Staff of partners who introduce people when signed in: (organisation key, job title, count).
INTRODUCERS: tuple[tuple[str, str, int], ...] = (
    ("gp_north", "GP", 3),
    ("gp_central", "GP", 3),
    ("gp_south", "GP", 3),
    ("housing", "Tenancy sustainment officer", 2),
    ("council", "Adult social care worker", 2),
)
# Partners whose introductions are usually made signed in, by one of their introducers.
SIGNED_IN_SOURCES: dict[str, float] = {"gp": 0.85, "housing": 0.6, "local_authority": 0.5}
# Languages some staff work in besides English (most work in English only).
STAFF_SECOND_LANGUAGE_SHARE = 0.6  # of staff whose heritage has a language other than English

AGE_BANDS: tuple[tuple[int, int, float], ...] = (
    (18, 24, 12),
    (25, 34, 25),
    (35, 44, 22),
    (45, 54, 18),
    (55, 64, 12),
    (65, 74, 7),
    (75, 90, 4),
)

CONTACT_TIMES = _split(
    "Any time, Weekday mornings, After 5pm, Not before 10am, Afternoons are best, Weekdays only,"
    " Not on Fridays, Evenings after the children are in bed, Mornings before my shift"
)
ACCESS_NEEDS = (
    "I use a wheelchair, so please meet me somewhere step-free.",
    "Large print letters, please.",
    "I find phone calls hard. Please text me first.",
    "I am hard of hearing. Please face me when you speak.",
    "I have dyslexia. Short letters and plain English help.",
    "I am autistic. Please tell me in advance who I will meet and where.",
    "I cannot do stairs because of my knees.",
    "I need to bring my son with me because I have no childcare.",
    "Please don't send letters to my home address.",
    "I get anxious in waiting rooms. Somewhere quiet, please.",
)

STORY_TRIGGERS = (
    "I lost my job at the start of the year",
    "my mum died in the spring",
    "my relationship ended and I had to move out",
    "I was signed off work with stress",
    "my benefits were stopped for two months",
    "we were moved into temporary accommodation",
    "my baby was born",
    "I came out of hospital",
    "I was assaulted on my way home",
    "my son went to prison",
    "I moved to London on my own",
    "my marriage broke down",
    "I started caring for my dad full time",
    "I was made redundant",
    "my best friend took his own life",
    "I finished university and could not find work",
    "the pandemic",
    "I had a miscarriage",
    "my landlord served me notice",
    "I stopped my medication",
)
STORY_FEELINGS = (
    "I have been feeling low",
    "I have not been sleeping",
    "the panic attacks have got worse",
    "I have stopped going out",
    "the voices have been louder",
    "I have been drinking more than I want to",
    "I feel on edge all the time",
    "I have been having dark thoughts, though I am safe now",
    "I cannot concentrate on anything",
    "I have not been eating properly",
    "I keep going over what happened",
    "everything feels like too much",
)
STORY_EXTRAS = (
    " My GP suggested I get in touch.",
    " A friend told me about Living Well.",
    " My sister filled in the form with me.",
    " I saw a poster at the library.",
    " The housing officer said you could help.",
    " I have tried services before and fell through the gaps.",
    " I did not want to be passed around again.",
    "",
    "",
)
GOING_WELL = (
    "My sister checks in on me most days.",
    "I still go to {place} when I can.",
    "I have been walking in {place} in the mornings.",
    "Church on Sundays keeps me going.",
    "Friday prayers and my friends at the mosque.",
    "My dog gets me out of the house.",
    "I started a course at Lambeth College.",
    "My children. They are doing well at school.",
    "I have kept my job, just about.",
    "Cooking. I made jollof for the whole family last week.",
    "I go to the allotment on Saturdays.",
    "I have been going to the choir at {place}.",
    "Football on Sunday mornings.",
    "My neighbour and I have a cup of tea most days.",
    "I have not had a drink for three weeks.",
    "Not much at the moment, if I am honest.",
)
HARD = (
    "Money is the big one. My Universal Credit was cut.",
    "Sleeping, and getting up in the morning.",
    "Being around people, even people I know.",
    "The flat is damp and the children keep getting ill.",
    "Leaving the house on my own.",
    "Keeping on top of letters and bills.",
    "Talking about how I feel. I was brought up not to.",
    "Loneliness, especially at weekends.",
    "The side effects of my medication.",
    "Work. My manager does not understand.",
    "Debt. I owe rent and council tax.",
    "Getting a GP appointment.",
    "Noise from the flat upstairs, all night.",
    "Memories of what happened back home.",
    "I feel like a burden on my family.",
)
ACHIEVE = (
    "Get back to work, even part time.",
    "Feel safe in my own home.",
    "Go back to college.",
    "Sort out my debts.",
    "See my grandchildren more.",
    "Take the bus on my own again.",
    "Join a choir or a group of some kind.",
    "Move somewhere with a bit more space.",
    "Sleep through the night.",
    "Come off my medication, slowly and safely.",
    "Volunteer and give something back.",
    "Get my son back living with me.",
    "Understand what is happening to me.",
    "Learn English properly.",
    "Start running again.",
    "Stop drinking.",
)
WHO_CAN_HELP = (
    "My sister {name}.",
    "My GP at {practice}.",
    "Friends from {place}.",
    "My key worker at the housing office.",
    "My partner {name}, when we are getting on.",
    "My pastor.",
    "The imam at my mosque.",
    "My mum.",
    "My daughter {name}.",
    "My friend {name}.",
    "Nobody really, at the moment.",
    "The peer group on Thursdays.",
)

# (kind, part they play, weight). {name}s come from the person's own heritage.
RELATIONSHIPS: tuple[tuple[str, str, float], ...] = (
    ("family", "My sister. She checks in on me.", 10),
    ("family", "My mum. She helps with the children.", 9),
    ("family", "My brother. We talk on the phone on Sundays.", 6),
    ("family", "My daughter. She comes to appointments with me.", 6),
    ("family", "My son. He helps with shopping.", 5),
    ("family", "My aunt. I stay with her when things are bad.", 3),
    ("family", "My cousin.", 3),
    ("partner", "My partner. We live together.", 10),
    ("partner", "My wife.", 4),
    ("partner", "My husband.", 4),
    ("friend", "My best friend. She knows everything.", 9),
    ("friend", "A friend from work.", 5),
    ("friend", "A friend from college. We go walking.", 4),
    ("carer", "My carer. She comes in every morning.", 3),
    ("neighbour", "My neighbour. She keeps a spare key.", 4),
    ("peer", "Someone from the peer support group.", 4),
    ("faith_community", "My pastor.", 3),
    ("faith_community", "The imam at the mosque.", 2),
    ("professional", "My GP.", 5),
    ("professional", "My housing officer.", 3),
    ("professional", "My support worker at the hostel.", 2),
    ("other", "My sponsor at AA.", 2),
    ("other", "The lady at the food bank.", 1),
)
KIN_KINDS = frozenset({"family", "partner", "carer"})

# ---- Living Well support: the worker people ask for, plans, contacts, notes, moving on ---------------
# Every line below is something a person reads, on their own record or on staff pages: plain words,
# kind, about the person rather than a condition, and never the words of the old system.

# What people ask for in a worker at the first conversation, besides the one in six who asked for a
# peer worker on their introduction: overall about 30% a peer worker, 20% a recovery worker, 10% a
# mental health practitioner, 8% housing, 7% work and benefits, and 23% no preference.
WANTED_KINDS: tuple[tuple[str, float], ...] = (
    ("peer", 18),
    ("recovery", 23.7),
    ("clinical", 11.9),
    ("housing", 9.5),
    ("employment", 8.3),
    ("psychology", 1.2),
    ("social_work", 1.2),
    ("no_preference", 27.3),
)
# Each kind of worker in a sentence ("No {kind} has space this month").
KIND_WORDS: dict[str, str] = {
    "peer": "peer worker",
    "recovery": "recovery worker",
    "clinical": "mental health practitioner",
    "psychology": "psychologist",
    "psychiatry": "psychiatrist",
    "social_work": "social worker",
    "housing": "housing officer",
    "employment": "employment specialist",
}
NAMED_WORKER_SHARE = 0.08  # of people, who ask for the worker they met at the first conversation
NAMED_WORKER_NOTES = (
    "I would like to keep seeing {first}.",
    "{first}, who I met at the first conversation, please.",
    "I got on with {first}. Can it be them?",
)
WANTED_GENDER_NOTES: dict[str, tuple[str, ...]] = {
    "woman": ("A woman, please.", "I would feel safer with a woman.", "Someone female, if possible."),
    "man": ("A man, if possible.", "I would rather talk to a man.", "A male worker, please."),
}
WANTED_LANGUAGE_NOTES = ("Someone who speaks {language}, if possible.", "{language}, or an interpreter if not.")
WANTED_NOTES = (
    "Someone older, who has been through it too.",
    "Not someone who lives on my estate.",
    "Someone who understands that my faith matters to me.",
    "Someone who gets what it is like being a carer.",
    "Someone LGBTQ+ friendly, please.",
    "Someone who can meet after work.",
    "Somebody calm. I do not do well with lots of questions.",
    "Someone who knows about benefits.",
    "Someone who will not rush me.",
    "Somebody who can meet me near home; I do not travel well.",
)
# Why the worker allocated is not who or what the person asked for (the person reads this).
NOT_AS_CHOSEN = (
    "No {kind} has space this month; {worker} will support until one does.",
    "Every {kind} in the team is full at the moment. {worker} will start now, and the huddle looks again in four weeks.",
    "Our {kind} is on leave until next month. {worker} will support until they are back.",
    "The {kind} does not work on the days that suit; {worker} does. We will look again if the days change.",
    "The {kind} who has space lives on the same estate, and we agreed that would not feel right. {worker} will support for now.",
)
NAMED_NOT_AS_CHOSEN = (
    "{wanted} has no space until next month; {worker} will support until then.",
    "{wanted} is on leave for six weeks. {worker} will support until {wanted} is back.",
    "{wanted} works mostly with the group now and cannot take anyone new. {worker} will support, and {wanted} will say hello at the group.",
)
NAMED_AWAY = "{wanted} is away for a while, so {worker} will support until {wanted} is back."
COMING_BACK_NOTES = ("I would like to see {first} again.", "{first} again, please, if they are still there.")
# Why a worker stopped being the person's worker, other than moving on ("Moved on").
MOVED_ON = "Moved on"
ASKED_FOR_CHANGE = "The person asked for a change of worker"
CHANGE_END_REASONS: tuple[tuple[str, float], ...] = (
    (ASKED_FOR_CHANGE, 55),
    ("The worker went on parental leave", 12),
    ("The worker's hours changed", 13),
    ("The team changed the worker", 10),
    ("The worker is off sick for a while", 10),
)
KIND_HAD_SPACE = "{kind} had space, as asked for at the start"
# What people say when they ask for a different worker (nobody has to give a reason).
CHANGE_REQUEST_REASONS = (
    "",
    "",
    "",
    "We did not click.",
    "I would feel easier with a woman.",
    "I would like someone who has been through it themselves.",
    "I need someone who can meet in the evenings.",
    "It is hard to talk to someone my son's age.",
    "I would like someone who knows more about housing.",
    "Nothing wrong, I just think someone else would suit me better.",
)
CHANGE_NOT_POSSIBLE = (
    "No other {kind} has space this month. We will look again at the huddle in four weeks, and you can ask again at any time.",
    "There is only one {kind} in the team and they are your worker now. We can ask the team next door if you would like that.",
    "We would like to, but everyone who could be your worker is full until the spring. We have put your name first for the next space.",
)

# The Living Well plan. Goals are in the person's own words; each goal's actions name who does them:
# "person", "worker", "network" ({who}: someone in their own network) or "community" (the offer by name).


@dataclass(frozen=True)
class GoalIdea:
    words: str
    actions: tuple[tuple[str, str, str], ...]  # (owner, what, community offer or "")
    faith: str = ""  # Religion value, for goals about a place of worship


def _goal(words: str, *actions: tuple[str, str] | tuple[str, str, str], faith: str = "") -> GoalIdea:
    return GoalIdea(words, tuple((a[0], a[1], a[2] if len(a) > 2 else "") for a in actions), faith)  # type: ignore[misc]


GOALS: dict[str, tuple[GoalIdea, ...]] = {
    "recover": (
        _goal(
            "Sleep through the night more often than not.",
            ("person", "Keep a sleep diary for two weeks and bring it along"),
            ("worker", "Go through the sleep diary together and choose one thing to change"),
            ("person", "No screens after 10pm: a warm drink and the radio instead"),
            ("community", "Try the Tuesday evening relaxation class", "Thrive Together Lambeth"),
            ("network", "{who} to text at 9pm as a reminder to start winding down"),
        ),
        _goal(
            "Have fewer panic attacks, and know what to do when one starts.",
            ("worker", "Practise the breathing together until it feels natural"),
            ("person", "Write down what was happening before each panic attack"),
            ("community", "Book a place on the anxiety workshop", "Lambeth Talking Therapies"),
            ("network", "{who} to come on the bus with me the first few times"),
            ("person", "Carry the breathing card with me"),
        ),
        _goal(
            "Feel less alone in the evenings.",
            ("network", "{who} to ring on Tuesday and Thursday evenings"),
            ("community", "Go to the Thursday evening peer group", "Southside Recovery Collective"),
            ("person", "Message one person each evening, even just to say hello"),
            ("worker", "Find evening groups near home and go through them together"),
        ),
        _goal(
            "Cut my drinking down to weekends only.",
            ("person", "Keep a note of what I drink each day"),
            ("worker", "Look at what the community drinks team offers, together"),
            ("community", "Try the Saturday morning SMART Recovery meeting", "Southside Recovery Collective"),
            ("network", "{who} to keep Friday evenings free for a film instead of the pub"),
        ),
        _goal(
            "Get out of the flat every day, even if it is just to the shop.",
            ("person", "Walk to the corner shop and back every morning"),
            ("worker", "Meet at {place} instead of at home"),
            ("network", "{who} to walk with me on Sunday afternoons"),
            ("community", "Join the Wednesday walking group", "Brixton Community Wellbeing walking group"),
        ),
        _goal(
            "Understand the voices better and feel less frightened by them.",
            ("worker", "Talk through what the voices say and when they are worse"),
            ("community", "Try the Hearing Voices group on Mondays", "Southside Recovery Collective"),
            ("person", "Write down what helps when the voices are loud"),
            ("worker", "Come with me to talk to the GP about the medication"),
        ),
        _goal(
            "Notice when things start to slip, before they get bad.",
            ("worker", "Write down my early warning signs together"),
            ("person", "Check in with myself every Sunday evening, using the list"),
            ("network", "{who} to tell me gently if they notice the signs"),
            ("worker", "Add the signs to my safety plan"),
        ),
        _goal(
            "Eat proper meals, at least twice a day.",
            ("person", "Plan three simple meals for the week"),
            ("community", "Try the cookery club at the market", "Norwood Feast cookery club"),
            ("worker", "Ask for food bank vouchers together while money is tight"),
            ("network", "{who} to cook with me on Sundays"),
        ),
        _goal(
            "Stop going over what happened every night.",
            ("worker", "Talk about trauma-focused therapy and whether it is right for me"),
            ("person", "Write it down before bed, then close the notebook"),
            (
                "community",
                "Introduce myself to talking therapies, with help with the form",
                "Lambeth Talking Therapies",
            ),
            ("network", "{who} to be someone I can ring when it is bad at night"),
        ),
        _goal(
            "Get my energy back so I can play with my kids.",
            ("person", "Walk the children to school three days a week"),
            ("worker", "Book a health check with the GP together"),
            ("community", "Try the buggy walk in the park on Fridays", "Brixton Community Wellbeing walking group"),
        ),
        _goal(
            "Be kinder to myself on bad days.",
            ("person", "Write down one thing I did well each day"),
            ("worker", "Talk about what a bad day looks like and what I need then"),
            ("community", "Come to the self-compassion course", "Thrive Together Lambeth"),
        ),
        _goal(
            "Feel safe in my own home again.",
            ("worker", "Ask the housing officer about better locks on the door"),
            ("person", "Keep the safety plan on the fridge"),
            ("network", "{who} to stay over on Friday nights for a while"),
        ),
        _goal(
            "Feel like myself again.",
            ("person", "Do one thing I used to enjoy each week"),
            ("worker", "Look at what has helped before, and try it again"),
            ("network", "{who} to remind me of the things I used to love doing"),
            ("community", "Go to the Friday drop-in", "Southside Recovery Collective"),
        ),
    ),
    "choices": (
        _goal(
            "Decide for myself about my medication.",
            ("worker", "Write down my questions about the medication before the GP appointment"),
            ("worker", "Come with me to the GP appointment, if I want"),
            ("person", "Read the leaflet about coming off slowly and mark what worries me"),
            ("network", "{who} to come to the appointment with the psychiatrist"),
        ),
        _goal(
            "Sort out my Universal Credit so I am not scared of the post.",
            ("worker", "Open the letters together every Friday"),
            ("community", "Book an appointment with the benefits adviser", "Citizens Advice Lambeth"),
            ("person", "Put all the letters in one folder"),
            ("worker", "Ring the Universal Credit helpline together and ask about the deductions"),
        ),
        _goal(
            "Get on top of my debts and stop the letters.",
            ("community", "Go to a debt advice appointment", "Citizens Advice Lambeth"),
            ("person", "Write a list of everyone I owe"),
            ("worker", "Help write to the council about a payment plan for the council tax"),
            ("network", "{who} to look over the budget with me"),
        ),
        _goal(
            "Move somewhere with a bit more space.",
            ("worker", "Go through the housing register form together"),
            ("person", "Ask my GP for a letter about my health and the flat"),
            ("worker", "Ask the housing officer what band I am in, and why"),
        ),
        _goal(
            "Get the damp in the flat fixed.",
            ("person", "Take photos of the damp in every room"),
            ("worker", "Write to the landlord together, with the photos"),
            ("community", "Ask the housing advice line what to do if nothing happens", "Lambeth Homes Partnership"),
        ),
        _goal(
            "Go back to college and finish my course.",
            ("person", "Look at the college website for courses starting in September"),
            ("worker", "Come with me to the college open evening"),
            ("community", "Talk to the careers adviser", "Working Well Lambeth"),
            ("network", "{who} to help with the application form"),
        ),
        _goal(
            "Manage my own money again.",
            ("person", "Keep a spending diary for a month"),
            ("worker", "Set up standing orders for the rent and bills together"),
            ("community", "Do the money skills course", "Thrive Together Lambeth"),
        ),
        _goal(
            "Understand what is happening to me, in words that make sense to me.",
            ("worker", "Find information about what I am going through, in plain English"),
            ("worker", "Ask the psychologist to meet with me and my worker together"),
            ("person", "Write down the questions I want answered"),
        ),
        _goal(
            "Have my say in the meetings about my son.",
            ("worker", "Help me write down what I want to say before the next meeting"),
            ("worker", "Come to the next school meeting with me"),
            ("network", "{who} to look after the baby during the meeting"),
        ),
        _goal(
            "Apply for PIP with someone beside me.",
            ("worker", "Fill in the PIP form together, a section at a time"),
            ("person", "Ask the GP practice for a copy of my letters"),
            ("community", "Ask the welfare rights adviser to check the form", "Citizens Advice Lambeth"),
        ),
        _goal(
            "Keep my tenancy so I can stay where I am.",
            ("worker", "Go through the rent arrears with the housing officer"),
            ("person", "Pay something towards the arrears every week, however small"),
            ("community", "Go to the tenancy support sessions", "Lambeth Homes Partnership"),
        ),
        _goal(
            "Say no to my family without feeling guilty.",
            ("worker", "Practise what I want to say"),
            ("person", "Try it once this month and write down how it went"),
            ("community", "Do the assertiveness course", "Thrive Together Lambeth"),
        ),
        _goal(
            "Make my own decisions about going back to work.",
            ("worker", "Talk through the good and hard parts of my last job"),
            ("community", "Meet the employment specialist, just to hear the options", "Working Well Lambeth"),
            ("person", "Write down what I would want from a job now"),
        ),
    ),
    "participate": (
        _goal(
            "Get back to swimming on Saturdays.",
            ("person", "Find the Saturday morning session times at the leisure centre"),
            ("community", "Ask about the reduced-price swim pass", "Brixton Rec"),
            ("network", "{who} to come along the first time"),
            ("worker", "Meet at the pool café after the first swim to talk about how it went"),
        ),
        _goal(
            "Go to church again on Sundays.",
            ("person", "Go to the evening service first, when it is quieter"),
            ("network", "{who} to sit with me at the service"),
            ("worker", "Talk about what makes it hard to go back"),
            faith="christian",
        ),
        _goal(
            "Go to Friday prayers without feeling panicky.",
            ("network", "{who} to walk to the mosque with me"),
            ("worker", "Practise the breathing before Friday"),
            ("person", "Sit near the door at first"),
            faith="muslim",
        ),
        _goal(
            "Join a choir.",
            ("community", "Go to a taster session of the community choir", "Streatham Space Project choir"),
            ("person", "Listen to the songs at home first"),
            ("network", "{who} to come to the first session"),
        ),
        _goal(
            "Volunteer somewhere one day a week.",
            ("community", "Go to a volunteer taster day", "Vauxhall City Farm"),
            ("worker", "Look at volunteering that fits with my energy"),
            ("person", "Write down what I am good at and enjoy"),
        ),
        _goal(
            "Take the bus on my own again.",
            ("worker", "Do the bus journey together twice, then I go alone"),
            ("person", "Start with two stops, then go a little further each week"),
            ("network", "{who} to be on the phone during the first journey"),
        ),
        _goal(
            "See my grandchildren every week.",
            ("network", "{who} to bring the grandchildren round on Sundays"),
            ("person", "Plan something small to do with them each week"),
            ("worker", "Talk about how to explain to the family what has been going on"),
        ),
        _goal(
            "Go back to work, part time to start with.",
            ("community", "Meet the employment specialist", "Working Well Lambeth"),
            ("worker", "Talk about what I want to tell an employer, and what not"),
            ("person", "Update my CV"),
            ("worker", "Ask my GP for a fit note that says what I can do"),
        ),
        _goal(
            "Make a friend outside my family.",
            ("community", "Go to the Tuesday peer group", "Thrive Together Lambeth"),
            ("person", "Say yes to one invitation this month"),
            ("worker", "Meet me at the group the first time"),
        ),
        _goal(
            "Play football again on Sunday mornings.",
            ("community", "Go to the walking football session", "Men's Shed, Streatham"),
            ("network", "{who} to come and watch the first game"),
            ("person", "Get my boots out and fix them"),
        ),
        _goal(
            "Cook for friends again.",
            ("person", "Cook one new dish a week"),
            ("community", "Join the cookery club", "Norwood Feast cookery club"),
            ("network", "{who} to come for dinner at the end of the month"),
        ),
        _goal(
            "Go to the allotment again.",
            ("person", "Go to the allotment once a week, even for half an hour"),
            ("network", "{who} to help clear the beds in the spring"),
            ("community", "Join the gardening group", "Vauxhall City Farm"),
        ),
        _goal(
            "Get back to the gym.",
            ("community", "Ask about the GP exercise scheme", "Brixton Rec"),
            ("person", "Go twice a week, at the quiet times"),
            ("worker", "Talk about how to keep going on low days"),
        ),
        _goal(
            "Take my daughter to the park on my own.",
            ("person", "Go to the park near home on a quiet weekday morning"),
            ("network", "{who} to meet us at the park the first time"),
            ("worker", "Talk about what worries me about going out with her"),
        ),
    ),
}
GOAL_OUTCOMES: tuple[tuple[str, float], ...] = (("recover", 45), ("choices", 30), ("participate", 25))
GOAL_COUNTS: tuple[tuple[int, float], ...] = ((1, 15), (2, 35), (3, 35), (4, 15))

# The safety plan, co-produced: a few lines of each, in the person's words.
WARNING_SIGNS = (
    "I stop answering the phone.",
    "I stay in bed past midday.",
    "I stop eating properly.",
    "I start drinking on weekdays.",
    "The voices get louder and more unkind.",
    "I go over and over what happened.",
    "I snap at the people I love.",
    "I stop opening the post.",
    "I stop going out, even to the shop.",
    "I stop washing and changing my clothes.",
    "I cannot sleep for more than a few hours.",
    "I start saying I am a burden.",
)
WHAT_HELPS = (
    "A walk round {place}.",
    "A hot shower and clean sheets.",
    "Music, loud.",
    "Ringing {who}.",
    "Writing it down.",
    "Cooking something simple.",
    "Breathing: in for four, out for six.",
    "Praying.",
    "Getting out of the flat, even just to the shop.",
    "Holding something cold, like ice.",
    "Watching something funny I have seen before.",
    "Sitting in the garden with a cup of tea.",
)
CRISIS_LINES = (
    "NHS 111, option 2, for the mental health crisis line, any time.",
    "Samaritans: 116 123, any time, free.",
    "Shout: text SHOUT to 85258, any time.",
)
EMERGENCY_LINE = "In an emergency: 999, or go to A&E."

# Reviews of the plan: how it is going, in the person's words, and what changes.
HOW_IT_IS_GOING = (
    "Better than when we started. I am sleeping more.",
    "Up and down. The last month was hard, but I kept going to the group.",
    "I feel more in control of the money now.",
    "Slow, but I am getting there.",
    "I have not done much of the plan, and that is OK. Things at home took over.",
    "Much better. I went back last week and it was fine.",
    "I am proud of myself for the bus journeys.",
    "Still hard at night, better in the day.",
    "I nearly cancelled today, but I am glad I came.",
    "Some weeks are good. I know what to do on the bad ones now.",
)
WHAT_CHANGES = (
    "Keep going as we are.",
    "Meet every two weeks instead of every week.",
    "Less about appointments, more about getting out.",
    "Ask the psychologist to join the next meeting.",
    "Take the pressure off the money goal for a month.",
    "Add a step about the evenings, which are still the hardest.",
    "",
)
COMING_BACK_WORDS = (
    "Things got hard again after {trigger}. I would like to pick up where I left off.",
    "I am struggling again and I do not want to start from the beginning.",
    "It has been a bad few weeks since {trigger}. Can I see {worker} again?",
    "I said I would come back if I needed to, and I need to.",
)
COMING_BACK_TRIGGERS = (
    "Christmas",
    "my hours were cut",
    "my dad went into hospital",
    "the letters started again",
    "a friend died",
    "I moved flat",
)

# Contacts: where they happen, and the groups people go to.
GROUPS: dict[str, tuple[str, ...]] = {
    "North Lambeth": _split("the peer group at the library on Lambeth Walk, the walking group in Kennington Park"),
    "Stockwell & Clapham": _split(
        "the Thursday peer group at the Living Well Hub, the walking group in Brockwell Park,"
        " the Hearing Voices group in Brixton"
    ),
    "Streatham & Norwood": _split("the peer group at the Streatham Space Project, the cookery club at Norwood Feast"),
}
CONTACT_MODES: tuple[tuple[str, float], ...] = (
    ("in_person", 36),
    ("phone", 25),
    ("home_visit", 12),
    ("video", 7),
    ("message", 11),
    ("group", 6),
    ("email", 3),
)
CADENCE_DAYS: tuple[tuple[int, float], ...] = ((7, 25), (10, 10), (14, 35), (21, 12), (28, 18))
NOT_HELD_SHARE = 0.08

# Notes: plain, kind and about the person, in the worker's words. {name} is how the person likes to
# be called; {place}, {who}, {day} and {other} are filled in by the generator.
NOTE_OPENINGS: dict[str, tuple[str, ...]] = {
    "in_person": ("Met {name} at {place}.", "Coffee with {name} at {place}.", "{name} and I met at {place}."),
    "home_visit": ("Visited {name} at home.", "Home visit. {name} made tea.", "Saw {name} at home, as {name} asked."),
    "phone": ("Phone call with {name}.", "{name} rang me back this afternoon.", "Our usual call."),
    "video": ("Video call with {name}.", "Video call; {name} had the camera off for most of it, which is fine."),
    "message": (
        "Messages back and forth with {name} today.",
        "{name} texted this morning and we kept in touch by text.",
    ),
    "group": ("{name} came to {place}.", "Saw {name} at {place}."),
    "email": ("Email from {name}, and I replied.",),
}
NOTE_FIRST = (
    "Our first meeting. We talked about what {name} would like from Living Well, and what {name} would rather not.",
    "First time meeting. {name} told me a bit about the last year and what matters most right now.",
    "We got to know each other. {name} would like to take things slowly, and that is fine.",
)
NOTE_MIDDLES = (
    "{name} said the week has been better than the last one.",
    "{name} has kept the sleep diary going and is getting about five hours most nights.",
    "We talked about the letter from the council. {name} would like to ring them together next week.",
    "{name} went to the walking group and said it was easier than expected.",
    "It has been a hard few days. {name} used the safety plan and rang {who}.",
    "We went through the Universal Credit journal together and wrote the reply in {name}'s words.",
    "{name} would like to try the peer group but is nervous about going in alone. I will meet outside first.",
    "{name} has started cooking again: soup twice this week.",
    "We talked about the medication. {name} wants to ask the GP about lowering the dose and asked me to go too.",
    "{name} had a good weekend with family.",
    "{name} did not want to talk much today, and that was fine. We sat in the park for a while.",
    "We looked at the plan together and {name} ticked off an action.",
    "{name} is worried about the rent. We made a list of questions for the housing officer.",
    "{name} said the GP appointment went well and felt listened to.",
    "The flat was tidier than last time, and {name} said that felt like a small win.",
    "We practised the breathing again. {name} said it helped on the bus on Tuesday.",
    "{name} has been getting out every day, mostly to the shop and back.",
    "{name} talked about wanting to volunteer, and we looked at the city farm's website together.",
    "Sleep is still hard. {name} would like to try the relaxation class.",
    "{name} talked about {who} and how much it helps to have them nearby.",
    "{name} is proud of getting to the jobcentre appointment on time, on their own.",
    "We talked about what has helped before, and {name} remembered the allotment.",
    "{name} was tired today after a bad night. We kept it short.",
    "{name} laughed a lot today, which was good to see.",
    "{name} brought the form and we filled in the first two pages together.",
)
NOTE_NEXT = (
    "Next: same time next week.",
    "We will meet again on {day}.",
    "I will ring on {day} to see how it went.",
    "{name} will text if they want to move our next meeting.",
    "Next time: the housing form, together.",
    "{name} would like to meet somewhere different next time, maybe {place}.",
    "",
)
NOTE_JOINT = "{other} joined us today."
NOTE_NOT_HELD = (
    "We agreed to meet at {place} but {name} did not come. I texted to check {name} is OK.",
    "Rang at the time we agreed; no answer. Left a message and will try again tomorrow.",
    "{name} texted in the morning to cancel: not feeling up to it. We will try again next week.",
    "Went round for the home visit; nobody answered. Left a card with my number.",
    "{name} had to cancel because of a hospital appointment. We found another time.",
)
NOTE_QUIET = (
    "Rang twice this week and texted; no reply. Will write a short letter and ask at the huddle.",
    "No answer again. Left a friendly message: no pressure, we are here when {name} is ready.",
)
# Notes kept from the person, with the grounds and the words that explain it (support.models.WithheldBecause).
WITHHELD: tuple[tuple[str, str, str], ...] = (
    (
        "someone_else",
        "{who} rang, worried about {name}. {who} also talked about their own health and asked us to keep that private.",
        "It includes what {who} told us about their own health. {who} has not agreed to share it.",
    ),
    (
        "someone_else",
        "A neighbour called about shouting from the flat last night and asked not to be named. All was calm when I rang {name}.",
        "It names a neighbour who asked not to be named.",
    ),
    (
        "someone_else",
        "{name}'s sister told me about her own worries at home, which she has not told {name} about.",
        "It is about {name}'s sister, who has not agreed to share it.",
    ),
    (
        "serious_harm",
        "The GP shared worries about {name}'s safety at home. We agreed a plan with the GP and will talk it through with {name} when it is safe to.",
        "The team agreed that reading this now could put {name} at risk of serious harm. We will look at it again with {name}.",
    ),
    (
        "legal",
        "The police asked us not to share details of an investigation while it is going on.",
        "The police asked us not to share this while they investigate. We will look again when they have finished.",
    ),
)
WITHHELD_WEIGHTS = (40, 25, 15, 12, 8)
WITHHELD_SHARE = 0.015
CORRECTION = "A correction to my note of {date}: we met at {place}, not where I wrote."

# Moving on: the farewell summary, written with the person.
MOVING_ON_REASONS: tuple[tuple[str, float], ...] = (
    ("goals_reached", 42),
    ("person_chose", 20),
    ("other_support", 12),
    ("moved_away", 7),
    ("lost_touch", 14),
    ("other", 5),
)
WHAT_HELPED = (
    "Meeting every week, and having someone who listened without rushing.",
    "The walking group, and sorting out the Universal Credit letters together.",
    "Peer support from someone who had been there.",
    "Writing the safety plan, and knowing who to call.",
    "Getting out of the flat a little more each week.",
    "Having help with the forms, so the post stopped being frightening.",
    "Going back to the things I used to enjoy, one at a time.",
    "Talking about the medication until I felt ready to decide.",
)
WHAT_HELPED_LOST_TOUCH = (
    "The first few meetings in the café seemed to help, and {name} said so at the time.",
    "{name} was starting to go to the group before we lost touch.",
)
IF_THINGS_GET_HARD = (
    "Look at the safety plan on the fridge. Ring {who}. Ring NHS 111, option 2, any time, or Samaritans on 116 123.",
    "Notice the early signs: not sleeping, not opening the post. Ring the Hub on a weekday, or NHS 111, option 2, any time.",
    "Go back to what helped: the walk, the group, ringing {who}. If it is too much, ring NHS 111, option 2.",
    "Tell {who} early, before it builds up. Use the breathing. Samaritans are there any time on 116 123.",
    "Keep going to the group even on bad weeks. If you are not safe, ring 999 or go to A&E.",
    "Ring your GP practice and ask for an appointment; tell them you were with Living Well. NHS 111, option 2, any time.",
)
HOW_TO_COME_BACK = (
    "Ring the Living Well Hub or sign in to your record. Within a year you are picked up where you left off, with the same worker if they are still here, and no need to start again.",
    "Tell the Hub, your GP, or anyone who knows us. Within a year we pick up where we left off: same team, same plan, and your worker if they are still here.",
    "Ring or email the Hub, or ask your GP to get in touch. You will not have to tell your story again.",
)
PERSON_WORDS = (
    "Thank you for not giving up on me.",
    "I feel ready. I know where you are.",
    "It helped more than I thought it would.",
    "Say hello to everyone at the group.",
    "",
    "",
    "",
)

# Urgent flags for the huddle, and what was done.
FLAG_REASONS = (
    "{name} rang the Hub very distressed and is not sure they can keep safe tonight.",
    "A neighbour called: {name} has not been seen for several days and is not answering the door.",
    "{name} has an eviction date on Friday and is very frightened.",
    "{name}'s sister rang: {name} has stopped eating and is hardly talking.",
    "{name} missed the last three meetings and last time talked about feeling hopeless.",
    "{name} texted late last night to say they had had enough. Not answering today.",
)
FLAG_CLEARED = (
    "Spoke to {name} the same afternoon. Staying with family for a few days; we looked at the safety plan together.",
    "Home visit with the duty worker. {name} is safe and has the crisis line number to hand tonight.",
    "The housing officer spoke to the landlord and the eviction is paused. {name} is relieved.",
    "{name} rang back: phone was broken. Meeting on Thursday as usual.",
)

# The team huddle: what was decided about each person.
HUDDLE_DECISIONS: dict[str, tuple[str, ...]] = {
    "new": (
        "{worker} to ring {name} today to say hello and book a first meeting.",
        "Welcome to the team. {name} asked for a {kind}: {worker} has space and will ring this week.",
        "{worker} to meet {name} this week and start the plan together.",
    ),
    "waiting": (
        "{name} has waited {days} days. {worker} has space from Monday: offer {worker} as the worker.",
        "Still no {kind} with space. {worker} to keep in touch weekly until there is one.",
    ),
    "review": (
        "Plan review is due. {worker} to book it with {name} this week.",
        "{worker} to look at the plan with {name} at the next meeting and record the review.",
    ),
    "not_seen": (
        "{name} not seen for {weeks} weeks. {worker} to ring today and write if there is no answer.",
        "{worker} to try {name} again and, as {name} agreed, ask someone close to them if all is well.",
    ),
    "urgent": (
        "{worker} to ring {name} this morning; the duty worker visits if there is no answer by noon.",
        "{worker} and the duty worker to visit today and look at the safety plan with {name}.",
    ),
    "change": (
        "{name} asked for a change of worker. The team leader to talk to {name} about who would suit, this week.",
        "{name} asked for someone different. {worker} will say goodbye properly, and the team leader offers a new worker.",
    ),
}
HUDDLE_DAYS = 21  # the huddles of the last three weeks are in the synthetic site
HUDDLE_LIMIT = 18  # decisions recorded at one huddle, at most

PLAN_AGREEMENT_COMMENTS = (
    "",
    "",
    "",
    "Happy with this.",
    "Can we add swimming next time?",
    "I like that it is in my words.",
    "Agreed. The money goal first, please.",
)
# How close each kind of person in someone's network feels (support: people.models.Connection).
CONNECTIONS: dict[str, tuple[tuple[str, float], ...]] = {
    "family": (("strong", 45), ("some", 35), ("strained", 20)),
    "partner": (("strong", 55), ("some", 25), ("strained", 20)),
    "friend": (("strong", 50), ("some", 42), ("strained", 8)),
    "carer": (("strong", 45), ("some", 50), ("strained", 5)),
    "neighbour": (("strong", 30), ("some", 62), ("strained", 8)),
    "peer": (("strong", 40), ("some", 57), ("strained", 3)),
    "faith_community": (("strong", 50), ("some", 47), ("strained", 3)),
    "professional": (("strong", 20), ("some", 75), ("strained", 5)),
    "other": (("strong", 35), ("some", 55), ("strained", 10)),
}


# Measures (livingwell.outcomes): how people rate their lives over time, and the DIALOG+ conversations.
# How each DIALOG area tends to sit against the others at the start (points on the 1 to 7 scale):
# work and mental health lowest, meetings with professionals and safety highest.
DIALOG_OFFSETS: dict[str, float] = {
    "mental_health": -0.7,
    "physical_health": -0.1,
    "job_situation": -0.6,
    "accommodation": 0.1,
    "leisure_activities": -0.4,
    "friendships": -0.3,
    "partner_family": 0.2,
    "personal_safety": 0.5,
    "medication": 0.3,
    "practical_help": 0.6,
    "meetings": 0.9,
}
# The share of people who leave each DIALOG area unanswered every time (no job to rate, no medication).
DIALOG_SKIPPED: dict[str, float] = {"job_situation": 0.12, "medication": 0.35, "partner_family": 0.05}
# Who completes a wellbeing measure besides DIALOG, and which (the rest complete none).
WELLBEING_MEASURES: tuple[tuple[str, float], ...] = (("swemwbs", 22), ("reqol10", 13), ("", 65))

# The four DIALOG+ steps for an area chosen to talk about, in the person's and worker's words, and the
# actions they might agree (owner, what). One set per area; the actions are drawn from.
DIALOG_TOPICS: dict[str, tuple[tuple[str, str, str, str], tuple[tuple[str, str], ...]]] = {
    "mental_health": (
        (
            "Mornings are the hardest. Some days are better when I get outside early.",
            "Having more good days than bad ones, and knowing what to do on a bad one.",
            "The breathing we practised, the walking group, talking to the GP about how I sleep.",
            "Try the breathing every morning this week, and tell my worker how it went.",
        ),
        (
            ("person", "Practise the breathing every morning for a week"),
            ("worker", "Find out about the Tuesday wellbeing group"),
        ),
    ),
    "physical_health": (
        (
            "I have not been eating properly and I am tired all the time.",
            "Having the energy to walk to the shops and back.",
            "A check-up at the GP, cooking simple meals, the free swim sessions.",
            "Book a GP check-up, and cook one proper meal a day.",
        ),
        (
            ("person", "Book a check-up with the GP"),
            ("worker", "Bring the list of free swim sessions to our next meeting"),
        ),
    ),
    "job_situation": (
        (
            "Not working makes me feel useless, but I am scared of going back too soon.",
            "Doing something useful a few hours a week, maybe volunteering first.",
            "Volunteering at the food bank, the employment specialist, a short course at the college.",
            "Meet the employment specialist, and look at volunteering together.",
        ),
        (
            ("worker", "Introduce them to the team's employment specialist"),
            ("person", "Look at the volunteering list and pick two to ask about"),
        ),
    ),
    "accommodation": (
        (
            "The damp in the flat gets me down, and the council has not answered.",
            "A flat that is warm and dry, or at least a date for the repairs.",
            "Writing to the council together, the housing officer in the team, a tenants' advice session.",
            "Write to the council about the repairs together, and ask the housing officer to follow it up.",
        ),
        (
            ("worker", "Write to the council about the repairs together"),
            ("person", "Take photos of the damp for the letter"),
        ),
    ),
    "leisure_activities": (
        (
            "I used to paint and play football, and now I do nothing much.",
            "Having one thing in the week that I look forward to.",
            "The art group at the library, walking football, the community garden.",
            "Go to the art group once, with my worker the first time.",
        ),
        (
            ("person", "Go along to the art group at the library"),
            ("worker", "Go with them to the first walking football session"),
        ),
    ),
    "friendships": (
        (
            "I have lost touch with most of my friends and it is lonely.",
            "Seeing someone other than family at least once a week.",
            "The coffee morning, texting an old friend, the peer support group.",
            "Text one old friend this week, and try the coffee morning.",
        ),
        (("person", "Text an old friend to meet for a coffee"), ("person", "Try the Thursday coffee morning")),
    ),
    "partner_family": (
        (
            "Things are tense at home and we argue about little things.",
            "Being able to talk without it turning into a row.",
            "A family meeting with the worker, the carers' support line, some time apart each week.",
            "Ask my sister to come to one meeting with my worker.",
        ),
        (
            ("person", "Ask my sister to come to one of our meetings"),
            ("worker", "Send details of the carers' support line"),
        ),
    ),
    "personal_safety": (
        (
            "I do not feel safe walking home late from work.",
            "Getting home without feeling on edge.",
            "A different route, the safety app, changing shifts.",
            "Look at a different route home together, and ask about changing shifts.",
        ),
        (("person", "Ask my manager about earlier shifts"), ("worker", "Go through the safety plan together again")),
    ),
    "medication": (
        (
            "The new tablets make me drowsy in the day.",
            "Medication that helps without knocking me out.",
            "A review with the GP or the psychiatrist, taking them at night.",
            "Ask for a medication review, and keep a note of how I feel after taking them.",
        ),
        (
            ("worker", "Ask the psychiatrist in the team for a medication review"),
            ("person", "Keep a note of how I feel after the tablets"),
        ),
    ),
    "practical_help": (
        (
            "The forms and letters pile up and I cannot face them.",
            "Being on top of the post, with no letters I am scared to open.",
            "Going through the letters together, the welfare rights advice session, a folder for the post.",
            "Go through the letters together at our next meeting.",
        ),
        (("worker", "Go through the letters together"), ("person", "Put all the letters in one folder to bring along")),
    ),
    "meetings": (
        (
            "I find the meetings hard when they are somewhere new.",
            "Meetings in places I know, at a time that suits me.",
            "Meeting at the café, phone calls some weeks, writing down what I want to say first.",
            "Meet at the café from now on, and write down what I want to talk about first.",
        ),
        (
            ("worker", "Book the café for our meetings"),
            ("person", "Write down what I want to talk about before we meet"),
        ),
    ),
}
DIALOG_NOTHING_NEW = "Nothing new for now: we keep going with what is already in the plan."
