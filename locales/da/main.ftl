# Dansk (da)

## Sideramme
page-title = Log ind
page-title-service = Log ind på { $service }
confirm-title-payee = Bekræft en betaling til { $payee }
title-error = Fejl: { $title }
service-privacy = Privatliv
service-help = Hjælp
language-label = Sprog
cancel-button = Annuller og gå tilbage

## Valg af loginmetode
choose-heading = Hvordan vil du logge ind?
provider-otp-sms = Engangskode via sms
choose-submit = Fortsæt

## Side til telefonnummer
phone-heading = Indtast dit mobilnummer
phone-intro = Vi sender en engangskode til dette nummer via sms.
phone-label = Mobilnummer
phone-help = For eksempel { $example }. Et nummer uden for { $region } skal begynde med landekoden.
phone-submit = Send kode
phone-invalid = Det er ikke et gyldigt mobilnummer. Kontrollér nummeret og prøv igen.
phone-required = Indtast dit mobilnummer.

## Side til kode
code-heading = Indtast koden
code-sent-to = Vi har sendt en kode til { $phone }.
code-label = Engangskode
code-submit = Bekræft
code-wrong = { $remaining ->
    [one] Koden er forkert. Du har ét forsøg tilbage.
   *[other] Koden er forkert. Du har { $remaining } forsøg tilbage.
}
code-malformed = Koden skal bestå af { $length } cifre.
code-required = Indtast den kode, vi har sendt dig.
code-expired = Koden er udløbet. Bed om en ny kode.
code-resent = Vi har sendt dig en ny kode.
resend-submit = Send en ny kode
resend-wait = Du kan bede om en ny kode om { $seconds } sekunder.
resend-countdown = Du kan bede om en ny kode om { $time }.
resend-limit = Der kan ikke sendes flere koder til dette login.
change-number = Brug et andet nummer
send-failed = Vi kunne ikke sende koden. Prøv igen om lidt.

## Fejlsider
error-heading = Noget gik galt
error-not-found = Dette loginlink er ikke gyldigt. Gå tilbage til tjenesten og start forfra.
no-page-heading = Siden blev ikke fundet
no-page = Der er intet på denne adresse. Hvis en tjeneste sendte dig hertil, så gå tilbage til den og start forfra.
error-expired-heading = Dette login er udløbet
error-expired = Det tog for lang tid. Gå tilbage til tjenesten og start forfra.
error-failed = Der blev indtastet for mange forkerte koder. Gå tilbage til tjenesten og start forfra.
error-finished = Dette login er allerede gennemført.
error-other-browser = Dette login blev startet i en anden browser. Åbn linket i den browser, hvor du startede, eller start forfra.
error-form-expired = Formularen var forældet. Prøv igen.
error-unavailable = Tjenesten er midlertidigt utilgængelig. Prøv igen om lidt.
error-reference = Reference til support: { $reference }
error-parameter = Til tjenestens udviklere: parameteren »{ $parameter }« mangler eller er ugyldig.
back-to-service = Tilbage til tjenesten
back-to-named = Tilbage til { $service }
try-again = Prøv igen

## Sms-tekst. Den sidste linje (tilføjes af brokeren) lader telefonen foreslå koden til dette websted.
sms-body = { $sender }: { $code } er din engangskode. Den er gyldig i { $minutes } minutter. Del den ikke med nogen.

## Tilbage til tjenesten (OpenID Connect)
error-invalid-request = Tjenesten, der sendte dig hertil, har sendt en loginanmodning, som vi ikke kan acceptere. Gå tilbage til tjenesten og prøv igen.
redirect-heading = Du sendes tilbage til tjenesten
redirect-text = Tryk på Fortsæt, hvis der ikke sker noget.
continue-button = Fortsæt
signed-out-heading = Du er logget ud
signed-out = Du kan lukke dette vindue nu.

## Udfald, der vises kort, før brugeren sendes tilbage til tjenesten
outcome-cancelled-heading = Login annulleret
outcome-cancelled = Du har annulleret login. Der er ikke delt noget med tjenesten.
outcome-failed-heading = Login stoppet
outcome-failed = Der blev indtastet for mange forkerte koder, så vi har stoppet dette login for at beskytte dig.
outcome-moving-on = Du sendes tilbage om et par sekunder.

## Engangskoder via e-mail
provider-otp-email = Engangskode via e-mail
email-heading = Indtast din e-mailadresse
email-intro = Vi sender en engangskode til denne adresse via e-mail.
email-label = E-mailadresse
email-invalid = Det er ikke en gyldig e-mailadresse. Kontrollér adressen og prøv igen.
email-required = Indtast din e-mailadresse.
change-email = Brug en anden adresse
email-subject = Din engangskode
email-body = Din engangskode er { $code }. Den er gyldig i { $minutes } minutter. Hvis du ikke har bedt om en kode, kan du se bort fra denne besked.

## Koder, som en applikation anmoder om direkte (ingen loginside)
grant-otp-body = Din engangsadgangskode er { $code }

## Begrænsninger, der beskytter brugerne og tjenesten
limit-wait = { $minutes ->
    [one] For mange forsøg. Prøv igen om et minut.
   *[other] For mange forsøg. Prøv igen om { $minutes } minutter.
}
sms-unavailable = Vi kan ikke sende sms'er i øjeblikket. Prøv igen senere.
phone-not-mobile = Vi kan kun sende koder til mobilnumre. Indtast et mobilnummer.
phone-region-refused = Vi kan ikke sende koder til numre i det land. Indtast et andet mobilnummer.

## Bekræftelse af en betaling (en kode knyttet til et beløb og en modtager)
confirm-title = Bekræft en betaling
confirm-heading = Bekræft denne betaling
confirm-intro = Kontrollér beløbet, og hvem du betaler til. Koden gælder kun for denne betaling.
confirm-amount = Beløb
confirm-payee = Modtager
confirm-message = Besked
confirm-submit = Bekræft betaling
sms-confirm = { $sender }: { $code } er din kode til at bekræfte { $amount } til { $payee }. Den er gyldig i { $minutes } minutter. Del den ikke med nogen.
email-confirm-subject = Din kode til at bekræfte en betaling
email-confirm-body = Din kode til at bekræfte betalingen på { $amount } til { $payee } er { $code }. Den er gyldig i { $minutes } minutter. Hvis du ikke selv har startet denne betaling, skal du ikke bruge koden.
