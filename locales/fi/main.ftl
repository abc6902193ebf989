# Suomi (fi)

## Sivun kehys
page-title = Kirjaudu sisään
page-title-service = Kirjaudu palveluun { $service }
confirm-title-payee = Vahvista maksu saajalle { $payee }
title-error = Virhe: { $title }
service-privacy = Tietosuoja
service-help = Ohje
language-label = Kieli
cancel-button = Peruuta ja palaa takaisin

## Kirjautumistavan valinta
choose-heading = Miten haluat kirjautua sisään?
provider-otp-sms = Kertakäyttöinen koodi tekstiviestillä
choose-submit = Jatka

## Puhelinnumerosivu
phone-heading = Anna matkapuhelinnumerosi
phone-intro = Lähetämme tähän numeroon kertakäyttöisen koodin tekstiviestillä.
phone-label = Matkapuhelinnumero
phone-help = Esimerkiksi { $example }. Jos numeron maa on muu kuin { $region }, aloita numero maatunnuksella.
phone-submit = Lähetä koodi
phone-invalid = Matkapuhelinnumero ei ole kelvollinen. Tarkista numero ja yritä uudelleen.
phone-required = Anna matkapuhelinnumerosi.

## Koodisivu
code-heading = Anna koodi
code-sent-to = Lähetimme koodin numeroon { $phone }.
code-label = Kertakäyttöinen koodi
code-submit = Vahvista
code-wrong = { $remaining ->
    [one] Koodi on väärä. Sinulla on yksi yritys jäljellä.
   *[other] Koodi on väärä. Sinulla on { $remaining } yritystä jäljellä.
}
code-malformed = Koodissa pitää olla { $length } numeroa.
code-required = Anna koodi, jonka lähetimme sinulle.
code-expired = Koodi on vanhentunut. Pyydä uusi koodi.
code-resent = Lähetimme sinulle uuden koodin.
resend-submit = Lähetä uusi koodi
resend-wait = Voit pyytää uuden koodin { $seconds } sekunnin kuluttua.
resend-countdown = Voit pyytää uuden koodin { $time } kuluttua.
resend-limit = Tähän kirjautumiseen ei voi enää lähettää koodeja.
change-number = Käytä toista numeroa
send-failed = Koodin lähettäminen epäonnistui. Yritä hetken kuluttua uudelleen.

## Virhesivut
error-heading = Jokin meni vikaan
error-not-found = Tämä kirjautumislinkki ei ole kelvollinen. Palaa palveluun ja aloita alusta.
no-page-heading = Sivua ei löytynyt
no-page = Tässä osoitteessa ei ole mitään. Jos jokin palvelu ohjasi sinut tänne, palaa siihen ja aloita alusta.
error-expired-heading = Kirjautuminen on vanhentunut
error-expired = Aikaa kului liian kauan. Palaa palveluun ja aloita alusta.
error-failed = Väärä koodi annettiin liian monta kertaa. Palaa palveluun ja aloita alusta.
error-finished = Tämä kirjautuminen on jo suoritettu.
error-other-browser = Tämä kirjautuminen aloitettiin toisessa selaimessa. Avaa linkki selaimessa, jossa aloitit, tai aloita alusta.
error-form-expired = Lomake ei ollut enää ajan tasalla. Yritä uudelleen.
error-unavailable = Palvelu ei ole tilapäisesti käytettävissä. Yritä hetken kuluttua uudelleen.
error-reference = Viite asiakastukea varten: { $reference }
error-parameter = Palvelun kehittäjille: parametri ”{ $parameter }” puuttuu tai ei ole kelvollinen.
back-to-service = Takaisin palveluun
back-to-named = Takaisin palveluun { $service }
try-again = Yritä uudelleen

## Tekstiviestin teksti. Viimeinen rivi (välittäjäpalvelu lisää sen) antaa puhelimen ehdottaa koodia tälle sivustolle.
sms-body = { $sender }: { $code } on kertakäyttöinen koodisi. Se on voimassa { $minutes } minuuttia. Älä kerro koodia kenellekään.

## Paluu palveluun (OpenID Connect)
error-invalid-request = Palvelu, joka ohjasi sinut tänne, lähetti kirjautumispyynnön, jota emme voi hyväksyä. Palaa palveluun ja yritä uudelleen.
redirect-heading = Palataan palveluun
redirect-text = Jos mitään ei tapahdu, paina Jatka.
continue-button = Jatka
signed-out-heading = Olet kirjautunut ulos
signed-out = Voit nyt sulkea tämän ikkunan.

## Lopputulokset, jotka näytetään hetken ennen paluuta palveluun
outcome-cancelled-heading = Kirjautuminen peruutettu
outcome-cancelled = Peruutit kirjautumisen. Palvelulle ei välitetty mitään tietoja.
outcome-failed-heading = Kirjautuminen keskeytetty
outcome-failed = Väärä koodi annettiin liian monta kertaa, joten keskeytimme kirjautumisen suojataksemme sinua.
outcome-moving-on = Sinut ohjataan takaisin muutaman sekunnin kuluttua.

## Kertakäyttöiset koodit sähköpostilla
provider-otp-email = Kertakäyttöinen koodi sähköpostilla
email-heading = Anna sähköpostiosoitteesi
email-intro = Lähetämme tähän osoitteeseen kertakäyttöisen koodin sähköpostilla.
email-label = Sähköpostiosoite
email-invalid = Sähköpostiosoite ei ole kelvollinen. Tarkista osoite ja yritä uudelleen.
email-required = Anna sähköpostiosoitteesi.
change-email = Käytä toista osoitetta
email-subject = Kertakäyttöinen koodisi
email-body = Kertakäyttöinen koodisi on { $code }. Se on voimassa { $minutes } minuuttia. Jos et pyytänyt koodia, voit jättää tämän viestin huomiotta.

## Sovelluksen suoraan pyytämät koodit (ei kirjautumissivua)
grant-otp-body = Kertakäyttöinen salasanasi on { $code }

## Rajoitukset, jotka suojaavat käyttäjiä ja palvelua
limit-wait = { $minutes ->
    [one] Liian monta yritystä. Yritä minuutin kuluttua uudelleen.
   *[other] Liian monta yritystä. Yritä { $minutes } minuutin kuluttua uudelleen.
}
sms-unavailable = Emme voi lähettää tekstiviestejä tällä hetkellä. Yritä myöhemmin uudelleen.
phone-not-mobile = Voimme lähettää koodeja vain matkapuhelinnumeroihin. Anna matkapuhelinnumero.
phone-region-refused = Emme voi lähettää koodeja kyseisen maan numeroihin. Anna toinen matkapuhelinnumero.

## Maksun vahvistaminen (summaan ja saajaan sidottu koodi)
confirm-title = Vahvista maksu
confirm-heading = Vahvista tämä maksu
confirm-intro = Tarkista summa ja maksun saaja. Koodi toimii vain tässä maksussa.
confirm-amount = Summa
confirm-payee = Saaja
confirm-message = Viesti
confirm-submit = Vahvista maksu
sms-confirm = { $sender }: { $code } on koodisi, jolla vahvistat maksun { $amount } saajalle { $payee }. Voimassa { $minutes } min. Älä kerro sitä kenellekään.
email-confirm-subject = Koodisi maksun vahvistamiseen
email-confirm-body = Koodisi, jolla vahvistat maksun { $amount } saajalle { $payee }, on { $code }. Se on voimassa { $minutes } minuuttia. Jos et itse aloittanut tätä maksua, älä käytä koodia.
