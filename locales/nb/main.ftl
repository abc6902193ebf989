# Norsk bokmål (nb)

## Sideramme
page-title = Logg inn
page-title-service = Logg inn på { $service }
confirm-title-payee = Bekreft en betaling til { $payee }
title-error = Feil: { $title }
service-privacy = Personvern
service-help = Hjelp
language-label = Språk
cancel-button = Avbryt og gå tilbake

## Valg av innloggingsmetode
choose-heading = Hvordan vil du logge inn?
provider-otp-sms = Engangskode på SMS
choose-submit = Fortsett

## Side for telefonnummer
phone-heading = Skriv inn mobilnummeret ditt
phone-intro = Vi sender en engangskode til dette nummeret på SMS.
phone-label = Mobilnummer
phone-help = For eksempel { $example }. Et nummer utenfor { $region } må begynne med landskoden.
phone-submit = Send kode
phone-invalid = Dette er ikke et gyldig mobilnummer. Kontroller nummeret og prøv igjen.
phone-required = Skriv inn mobilnummeret ditt.

## Side for kode
code-heading = Skriv inn koden
code-sent-to = Vi har sendt en kode til { $phone }.
code-label = Engangskode
code-submit = Bekreft
code-wrong = { $remaining ->
    [one] Koden er feil. Du har ett forsøk igjen.
   *[other] Koden er feil. Du har { $remaining } forsøk igjen.
}
code-malformed = Koden skal ha { $length } sifre.
code-required = Skriv inn koden vi sendte deg.
code-expired = Denne koden er utløpt. Be om en ny kode.
code-resent = Vi har sendt deg en ny kode.
resend-submit = Send en ny kode
resend-wait = Du kan be om en ny kode om { $seconds } sekunder.
resend-countdown = Du kan be om en ny kode om { $time }.
resend-limit = Det kan ikke sendes flere koder for denne innloggingen.
change-number = Bruk et annet nummer
send-failed = Vi kunne ikke sende koden. Prøv igjen om litt.

## Feilsider
error-heading = Noe gikk galt
error-not-found = Denne innloggingslenken er ikke gyldig. Gå tilbake til tjenesten og start på nytt.
no-page-heading = Fant ikke siden
no-page = Det finnes ingenting på denne adressen. Hvis en tjeneste sendte deg hit, gå tilbake dit og start på nytt.
error-expired-heading = Denne innloggingen er utløpt
error-expired = Det tok for lang tid. Gå tilbake til tjenesten og start på nytt.
error-failed = Det ble skrevet inn for mange feil koder. Gå tilbake til tjenesten og start på nytt.
error-finished = Denne innloggingen er allerede fullført.
error-other-browser = Denne innloggingen ble startet i en annen nettleser. Åpne lenken i nettleseren der du startet, eller start på nytt.
error-form-expired = Skjemaet var utdatert. Prøv igjen.
error-unavailable = Tjenesten er midlertidig utilgjengelig. Prøv igjen om litt.
error-reference = Referanse til brukerstøtte: { $reference }
error-parameter = Til tjenestens utviklere: parameteren «{ $parameter }» mangler eller er ugyldig.
back-to-service = Tilbake til tjenesten
back-to-named = Tilbake til { $service }
try-again = Prøv igjen

## SMS-tekst. Den siste linjen (lagt til av brokeren) lar telefonen foreslå koden for dette nettstedet.
sms-body = { $sender }: { $code } er engangskoden din. Den er gyldig i { $minutes } minutter. Ikke del den med noen.

## Tilbake til tjenesten (OpenID Connect)
error-invalid-request = Tjenesten som sendte deg hit, sendte en innloggingsforespørsel vi ikke kan godta. Gå tilbake til tjenesten og prøv igjen.
redirect-heading = Du sendes tilbake til tjenesten
redirect-text = Hvis ingenting skjer, trykk på Fortsett.
continue-button = Fortsett
signed-out-heading = Du er logget ut
signed-out = Du kan lukke dette vinduet nå.

## Utfall som vises kort før brukeren sendes tilbake til tjenesten
outcome-cancelled-heading = Innloggingen ble avbrutt
outcome-cancelled = Du avbrøt innloggingen. Ingenting ble delt med tjenesten.
outcome-failed-heading = Innloggingen ble stoppet
outcome-failed = Det ble skrevet inn for mange feil koder, så vi stoppet innloggingen for å beskytte deg.
outcome-moving-on = Du sendes tilbake om noen sekunder.

## Engangskoder på e-post
provider-otp-email = Engangskode på e-post
email-heading = Skriv inn e-postadressen din
email-intro = Vi sender en engangskode til denne adressen på e-post.
email-label = E-postadresse
email-invalid = Dette er ikke en gyldig e-postadresse. Kontroller adressen og prøv igjen.
email-required = Skriv inn e-postadressen din.
change-email = Bruk en annen adresse
email-subject = Engangskoden din
email-body = Engangskoden din er { $code }. Den er gyldig i { $minutes } minutter. Hvis du ikke har bedt om en kode, kan du se bort fra denne meldingen.

## Koder som en applikasjon ber om direkte (uten innloggingsside)
grant-otp-body = Engangspassordet ditt er { $code }

## Begrensninger som beskytter brukerne og tjenesten
limit-wait = { $minutes ->
    [one] For mange forsøk. Prøv igjen om ett minutt.
   *[other] For mange forsøk. Prøv igjen om { $minutes } minutter.
}
sms-unavailable = Vi kan ikke sende SMS for øyeblikket. Prøv igjen senere.
phone-not-mobile = Vi kan bare sende koder til mobilnumre. Skriv inn et mobilnummer.
phone-region-refused = Vi kan ikke sende koder til numre i det landet. Skriv inn et annet mobilnummer.

## Bekrefte en betaling (en kode knyttet til et beløp og en mottaker)
confirm-title = Bekreft en betaling
confirm-heading = Bekreft denne betalingen
confirm-intro = Kontroller beløpet og hvem du betaler til. Koden gjelder bare for denne betalingen.
confirm-amount = Beløp
confirm-payee = Mottaker
confirm-message = Melding
confirm-submit = Bekreft betaling
sms-confirm = { $sender }: { $code } er koden din for å bekrefte { $amount } til { $payee }. Den er gyldig i { $minutes } minutter. Ikke del den med noen.
email-confirm-subject = Koden din for å bekrefte en betaling
email-confirm-body = Koden din for å bekrefte betalingen på { $amount } til { $payee } er { $code }. Den er gyldig i { $minutes } minutter. Hvis du ikke har startet denne betalingen, må du ikke bruke koden.
