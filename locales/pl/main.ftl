# Polski (pl)

## Ramka strony
page-title = Logowanie
page-title-service = Logowanie do serwisu { $service }
confirm-title-payee = Potwierdzenie płatności dla { $payee }
title-error = Błąd: { $title }
service-privacy = Prywatność
service-help = Pomoc
language-label = Język
cancel-button = Anuluj i wróć

## Wybór metody logowania
choose-heading = Wybierz sposób logowania
provider-otp-sms = Jednorazowy kod SMS
choose-submit = Dalej

## Strona numeru telefonu
phone-heading = Podaj numer telefonu komórkowego
phone-intro = Na ten numer wyślemy SMS z jednorazowym kodem.
phone-label = Numer telefonu komórkowego
phone-help = Na przykład { $example }. Numer spoza regionu { $region } musi zaczynać się od numeru kierunkowego kraju.
phone-submit = Wyślij kod
phone-invalid = To nie jest prawidłowy numer telefonu komórkowego. Sprawdź go i spróbuj ponownie.
phone-required = Podaj numer telefonu komórkowego.

## Strona kodu
code-heading = Wpisz kod
code-sent-to = Wysłaliśmy kod na numer { $phone }.
code-label = Kod jednorazowy
code-submit = Potwierdź
code-wrong = { $remaining ->
    [one] Kod jest nieprawidłowy. Pozostała jeszcze jedna próba.
    [few] Kod jest nieprawidłowy. Pozostały jeszcze { $remaining } próby.
    [many] Kod jest nieprawidłowy. Pozostało jeszcze { $remaining } prób.
   *[other] Kod jest nieprawidłowy. Pozostało jeszcze { $remaining } próby.
}
code-malformed = Kod powinien składać się z { $length } cyfr.
code-required = Wpisz kod, który wysłaliśmy.
code-expired = Ten kod wygasł. Poproś o nowy.
code-resent = Wysłaliśmy nowy kod.
resend-submit = Wyślij nowy kod
resend-wait = Nowy kod będzie można zamówić za { $seconds } s.
resend-countdown = Nowy kod będzie można zamówić za { $time }.
resend-limit = W ramach tego logowania nie można wysłać więcej kodów.
change-number = Użyj innego numeru
send-failed = Nie udało się wysłać kodu. Spróbuj ponownie za chwilę.

## Strony błędów
error-heading = Coś poszło nie tak
error-not-found = Ten link do logowania jest nieprawidłowy. Wróć do serwisu i zacznij od nowa.
no-page-heading = Nie znaleziono strony
no-page = Pod tym adresem nic nie ma. Jeśli przekierował Cię tu serwis, wróć do niego i zacznij od nowa.
error-expired-heading = Czas na zalogowanie upłynął
error-expired = Przekroczono limit czasu. Wróć do serwisu i zacznij od nowa.
error-failed = Wpisano zbyt wiele błędnych kodów. Wróć do serwisu i zacznij od nowa.
error-finished = To logowanie zostało już zakończone.
error-other-browser = To logowanie rozpoczęto w innej przeglądarce. Otwórz link w przeglądarce, w której rozpoczęto logowanie, lub zacznij od nowa.
error-form-expired = Formularz był nieaktualny. Spróbuj ponownie.
error-unavailable = Usługa jest chwilowo niedostępna. Spróbuj ponownie za chwilę.
error-reference = Numer referencyjny dla pomocy technicznej: { $reference }
error-parameter = Dla programistów serwisu: parametr „{ $parameter }” jest nieprawidłowy lub go brakuje.
back-to-service = Wróć do serwisu
back-to-named = Wróć do serwisu { $service }
try-again = Spróbuj ponownie

## Treść SMS. Ostatni wiersz (dodawany przez brokera) pozwala telefonowi podpowiedzieć kod dla tej witryny.
sms-body = { $sender }: { $code } to jednorazowy kod. Wygasa za { $minutes } min. Nie podawaj go nikomu.

## Powrót do serwisu (OpenID Connect)
error-invalid-request = Serwis, z którego nastąpiło przekierowanie, wysłał żądanie logowania, którego nie możemy przyjąć. Wróć do serwisu i spróbuj ponownie.
redirect-heading = Powrót do serwisu
redirect-text = Jeśli nic się nie dzieje, kliknij Dalej.
continue-button = Dalej
signed-out-heading = Wylogowano
signed-out = To okno można już zamknąć.

## Wyniki pokazywane krótko przed powrotem do serwisu
outcome-cancelled-heading = Logowanie anulowane
outcome-cancelled = Anulowano logowanie. Żadne dane nie zostały przekazane do serwisu.
outcome-failed-heading = Logowanie przerwane
outcome-failed = Wpisano zbyt wiele błędnych kodów, więc dla bezpieczeństwa przerwaliśmy to logowanie.
outcome-moving-on = Za kilka sekund nastąpi powrót do serwisu.

## Jednorazowe kody e-mailem
provider-otp-email = Jednorazowy kod e-mailem
email-heading = Podaj adres e-mail
email-intro = Na ten adres wyślemy e-mail z jednorazowym kodem.
email-label = Adres e-mail
email-invalid = To nie jest prawidłowy adres e-mail. Sprawdź go i spróbuj ponownie.
email-required = Podaj adres e-mail.
change-email = Użyj innego adresu
email-subject = Kod jednorazowy
email-body = { $code } to jednorazowy kod. Jest ważny przez { $minutes } min. Jeśli kod nie był zamawiany, zignoruj tę wiadomość.

## Kody zamawiane bezpośrednio przez aplikację (bez strony logowania)
grant-otp-body = Jednorazowe hasło to { $code }

## Limity chroniące użytkowników i serwis
limit-wait = { $minutes ->
    [one] Zbyt wiele prób. Spróbuj ponownie za minutę.
    [few] Zbyt wiele prób. Spróbuj ponownie za { $minutes } minuty.
    [many] Zbyt wiele prób. Spróbuj ponownie za { $minutes } minut.
   *[other] Zbyt wiele prób. Spróbuj ponownie za { $minutes } minuty.
}
sms-unavailable = Chwilowo nie możemy wysyłać SMS-ów. Spróbuj ponownie później.
phone-not-mobile = Kody możemy wysyłać tylko na numery telefonów komórkowych. Podaj numer telefonu komórkowego.
phone-region-refused = Nie możemy wysyłać kodów na numery z tego kraju. Podaj inny numer telefonu komórkowego.

## Potwierdzenie płatności (kod powiązany z kwotą i odbiorcą)
confirm-title = Potwierdzenie płatności
confirm-heading = Potwierdź tę płatność
confirm-intro = Sprawdź kwotę i odbiorcę płatności. Kod działa tylko dla tej płatności.
confirm-amount = Kwota
confirm-payee = Odbiorca
confirm-message = Wiadomość
confirm-submit = Potwierdź płatność
sms-confirm = { $sender }: { $code } to kod potwierdzenia transakcji { $amount } dla { $payee }. Wygasa za { $minutes } min. Nie podawaj go nikomu.
email-confirm-subject = Kod do potwierdzenia płatności
email-confirm-body = Kod do potwierdzenia płatności { $amount } dla { $payee } to { $code }. Jest ważny przez { $minutes } min. Jeśli to nie Ty zlecasz tę płatność, nie używaj tego kodu.
