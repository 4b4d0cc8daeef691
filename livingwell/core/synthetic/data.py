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
