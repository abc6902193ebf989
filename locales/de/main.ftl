# Deutsch (de)

## Seitenrahmen
page-title = Anmelden
page-title-service = Bei { $service } anmelden
confirm-title-payee = Zahlung an { $payee } bestätigen
title-error = Fehler: { $title }
service-privacy = Datenschutz
service-help = Hilfe
language-label = Sprache
cancel-button = Abbrechen und zurück

## Auswahl des Anmeldeverfahrens
choose-heading = Wie möchten Sie sich anmelden?
provider-otp-sms = Einmalcode per SMS
choose-submit = Weiter

## Seite für die Telefonnummer
phone-heading = Geben Sie Ihre Mobilnummer ein
phone-intro = Wir senden Ihnen einen Einmalcode per SMS an diese Nummer.
phone-label = Mobilnummer
phone-help = Zum Beispiel { $example }. Eine Nummer, die nicht aus { $region } stammt, muss mit der Ländervorwahl beginnen.
phone-submit = Code senden
phone-invalid = Das ist keine gültige Mobilnummer. Bitte prüfen Sie die Nummer und versuchen Sie es erneut.
phone-required = Bitte geben Sie Ihre Mobilnummer ein.

## Seite für den Code
code-heading = Code eingeben
code-sent-to = Wir haben einen Code an { $phone } gesendet.
code-label = Einmalcode
code-submit = Bestätigen
code-wrong = { $remaining ->
    [one] Der Code ist nicht korrekt. Sie haben noch einen Versuch.
   *[other] Der Code ist nicht korrekt. Sie haben noch { $remaining } Versuche.
}
code-malformed = Der Code muss aus { $length } Ziffern bestehen.
code-required = Bitte geben Sie den Code ein, den wir Ihnen gesendet haben.
code-expired = Dieser Code ist abgelaufen. Bitte fordern Sie einen neuen an.
code-resent = Wir haben Ihnen einen neuen Code gesendet.
resend-submit = Neuen Code senden
resend-wait = Sie können in { $seconds } Sekunden einen neuen Code anfordern.
resend-countdown = Sie können in { $time } einen neuen Code anfordern.
resend-limit = Für diese Anmeldung können keine weiteren Codes gesendet werden.
change-number = Andere Nummer verwenden
send-failed = Der Code konnte nicht gesendet werden. Bitte versuchen Sie es in Kürze erneut.

## Fehlerseiten
error-heading = Es ist ein Fehler aufgetreten
error-not-found = Dieser Anmeldelink ist ungültig. Kehren Sie zum Dienst zurück und beginnen Sie erneut.
no-page-heading = Seite nicht gefunden
no-page = Unter dieser Adresse gibt es nichts. Wenn ein Dienst Sie hierher geschickt hat, kehren Sie dorthin zurück und beginnen Sie erneut.
error-expired-heading = Diese Anmeldung ist abgelaufen
error-expired = Die Anmeldung hat zu lange gedauert. Kehren Sie zum Dienst zurück und beginnen Sie erneut.
error-failed = Es wurden zu viele falsche Codes eingegeben. Kehren Sie zum Dienst zurück und beginnen Sie erneut.
error-finished = Diese Anmeldung ist bereits abgeschlossen.
error-other-browser = Diese Anmeldung wurde in einem anderen Browser begonnen. Öffnen Sie den Link in dem Browser, in dem Sie begonnen haben, oder beginnen Sie erneut.
error-form-expired = Das Formular war nicht mehr aktuell. Bitte versuchen Sie es erneut.
error-unavailable = Der Dienst ist vorübergehend nicht verfügbar. Bitte versuchen Sie es in Kürze erneut.
error-reference = Referenz für den Support: { $reference }
error-parameter = Für die Entwickler des Dienstes: Der Parameter „{ $parameter }“ fehlt oder ist ungültig.
back-to-service = Zurück zum Dienst
back-to-named = Zurück zu { $service }
try-again = Erneut versuchen

## SMS-Text. Die letzte Zeile (vom Broker angefügt) ermöglicht dem Telefon, den Code für diese Website vorzuschlagen.
sms-body = { $sender }: { $code } ist Ihr Einmalcode. Er ist { $minutes } Minuten gültig. Geben Sie ihn an niemanden weiter.

## Rückkehr zum Dienst (OpenID Connect)
error-invalid-request = Der Dienst, von dem Sie hierher weitergeleitet wurden, hat eine Anmeldeanfrage gesendet, die wir nicht annehmen können. Kehren Sie zum Dienst zurück und versuchen Sie es erneut.
redirect-heading = Sie werden zum Dienst zurückgeleitet
redirect-text = Wenn nichts passiert, klicken Sie auf Weiter.
continue-button = Weiter
signed-out-heading = Sie sind abgemeldet
signed-out = Sie können dieses Fenster jetzt schließen.

## Ergebnisse, die kurz vor der Rückkehr zum Dienst angezeigt werden
outcome-cancelled-heading = Anmeldung abgebrochen
outcome-cancelled = Sie haben die Anmeldung abgebrochen. Es wurde nichts an den Dienst weitergegeben.
outcome-failed-heading = Anmeldung gestoppt
outcome-failed = Es wurden zu viele falsche Codes eingegeben. Zu Ihrem Schutz haben wir diese Anmeldung gestoppt.
outcome-moving-on = Sie werden in wenigen Sekunden zurückgeleitet.

## Einmalcodes per E-Mail
provider-otp-email = Einmalcode per E-Mail
email-heading = Geben Sie Ihre E-Mail-Adresse ein
email-intro = Wir senden Ihnen einen Einmalcode per E-Mail an diese Adresse.
email-label = E-Mail-Adresse
email-invalid = Das ist keine gültige E-Mail-Adresse. Bitte prüfen Sie die Adresse und versuchen Sie es erneut.
email-required = Bitte geben Sie Ihre E-Mail-Adresse ein.
change-email = Andere Adresse verwenden
email-subject = Ihr Einmalcode
email-body = Ihr Einmalcode lautet { $code }. Er ist { $minutes } Minuten gültig. Wenn Sie keinen Code angefordert haben, können Sie diese Nachricht ignorieren.

## Direkt von einer Anwendung angeforderte Codes (ohne Anmeldeseite)
grant-otp-body = Ihr Einmalpasswort lautet { $code }

## Begrenzungen zum Schutz der Nutzer und des Dienstes
limit-wait = { $minutes ->
    [one] Zu viele Versuche. Bitte versuchen Sie es in einer Minute erneut.
   *[other] Zu viele Versuche. Bitte versuchen Sie es in { $minutes } Minuten erneut.
}
sms-unavailable = Wir können derzeit keine SMS senden. Bitte versuchen Sie es später erneut.
phone-not-mobile = Wir können Codes nur an Mobilnummern senden. Bitte geben Sie eine Mobilnummer ein.
phone-region-refused = Wir können keine Codes an Nummern in diesem Land senden. Bitte geben Sie eine andere Mobilnummer ein.

## Bestätigung einer Zahlung (ein Code, der an Betrag und Empfänger gebunden ist)
confirm-title = Zahlung bestätigen
confirm-heading = Bestätigen Sie diese Zahlung
confirm-intro = Prüfen Sie den Betrag und den Empfänger. Der Code gilt nur für diese Zahlung.
confirm-amount = Betrag
confirm-payee = Empfänger
confirm-message = Mitteilung
confirm-submit = Zahlung bestätigen
sms-confirm = { $sender }: { $code } ist Ihr Code für die Zahlung von { $amount } an { $payee }. Gültig für { $minutes } Minuten. Geben Sie ihn nicht weiter.
email-confirm-subject = Ihr Code zur Bestätigung einer Zahlung
email-confirm-body = Ihr Code zur Bestätigung der Zahlung von { $amount } an { $payee } lautet { $code }. Er ist { $minutes } Minuten gültig. Wenn Sie diese Zahlung nicht selbst veranlasst haben, verwenden Sie den Code nicht.
