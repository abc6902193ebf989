# English is the reference locale: every other locale carries exactly these message ids.

## Page frame
page-title = Sign in
# Page titles and the frame's links, naming the service (or payee) the user came from.
page-title-service = Sign in to { $service }
confirm-title-payee = Confirm a payment to { $payee }
title-error = Error: { $title }
service-privacy = Privacy
service-help = Help
language-label = Language
cancel-button = Cancel and go back

## Provider choice
choose-heading = How do you want to sign in?
provider-otp-sms = One-time code by SMS
choose-submit = Continue

## Phone number page
phone-heading = Enter your mobile number
phone-intro = We will send a one-time code to this number by SMS.
phone-label = Mobile number
phone-help = For example { $example }. A number from outside { $region } must start with its country code.
phone-submit = Send code
phone-invalid = That is not a valid mobile number. Check it and try again.
# Shown for an empty field: the forms use novalidate, so the messages are ours.
phone-required = Enter your mobile number.

## Code page
code-heading = Enter the code
code-sent-to = We sent a code to { $phone }.
code-label = One-time code
code-submit = Confirm
code-wrong = { $remaining ->
    [one] The code is not correct. You have one attempt left.
   *[other] The code is not correct. You have { $remaining } attempts left.
}
code-malformed = The code should be { $length } digits.
code-required = Enter the code we sent you.
code-expired = This code has expired. Ask for a new one.
code-resent = We sent you a new code.
resend-submit = Send a new code
resend-wait = You can ask for a new code in { $seconds } seconds.
# Counts down live; $time is m:ss (0:29), so no plural is needed.
resend-countdown = You can ask for a new code in { $time }.
resend-limit = No more codes can be sent for this sign-in.
change-number = Use another number
send-failed = We could not send the code. Please try again in a moment.

## Error pages
error-heading = Something went wrong
error-not-found = This sign-in link is not valid. Go back to the service and start again.
no-page-heading = Page not found
no-page = There is nothing at this address. If a service sent you here, go back to it and start again.
error-expired-heading = This sign-in has expired
error-expired = You took too long. Go back to the service and start again.
error-failed = Too many wrong codes were entered. Go back to the service and start again.
error-finished = This sign-in is already finished.
error-other-browser = This sign-in was started in another browser. Open the link in the browser where you started, or start again.
error-form-expired = The form was out of date. Please try again.
error-unavailable = The service is temporarily unavailable. Please try again in a moment.
error-reference = Reference for support: { $reference }
error-parameter = For the service's developers: the parameter “{ $parameter }” is missing or not valid.
back-to-service = Back to the service
back-to-named = Back to { $service }
# The button under error-form-expired: the sign-in page again, with a fresh form.
try-again = Try again

## SMS text. The last line (added by the broker) lets the phone offer the code for this site.
## Each SMS should stay one segment with that line: 160 characters, or only 70 once one letter
## is outside GSM-7 (such as á, ç, È or ł). tests/flow/segments.rs counts.
sms-body = { $sender }: { $code } is your one-time code. It is valid for { $minutes } minutes. Do not share it with anyone.

## Returning to the service (OpenID Connect)
error-invalid-request = The service that sent you here made a sign-in request we cannot accept. Go back to the service and try again.
redirect-heading = Returning to the service
redirect-text = If nothing happens, press Continue.
continue-button = Continue
signed-out-heading = You are signed out
signed-out = You can close this window now.

## Outcomes shown briefly before going back to the service
outcome-cancelled-heading = Sign-in cancelled
outcome-cancelled = You cancelled the sign-in. Nothing was shared with the service.
outcome-failed-heading = Sign-in stopped
outcome-failed = Too many wrong codes were entered, so we stopped this sign-in to protect you.
outcome-moving-on = You will be taken back in a few seconds.

## E-mail one-time codes
provider-otp-email = One-time code by e-mail
email-heading = Enter your e-mail address
email-intro = We will send a one-time code to this address by e-mail.
email-label = E-mail address
email-invalid = That is not a valid e-mail address. Check it and try again.
email-required = Enter your e-mail address.
change-email = Use another address
email-subject = Your one-time code
email-body = Your one-time code is { $code }. It is valid for { $minutes } minutes. If you did not ask for a code, you can ignore this message.

## Codes requested directly by an application (no sign-in page)
grant-otp-body = Your one time password is { $code }

## Limits that protect users and the service
limit-wait = { $minutes ->
    [one] Too many attempts. Try again in one minute.
   *[other] Too many attempts. Try again in { $minutes } minutes.
}
sms-unavailable = We cannot send text messages at the moment. Please try again later.
phone-not-mobile = We can only send codes to mobile numbers. Enter a mobile number.
phone-region-refused = We cannot send codes to numbers in that country. Enter another mobile number.

## Confirming a transaction (a code bound to an amount and a payee)
confirm-title = Confirm a payment
confirm-heading = Confirm this payment
confirm-intro = Check the amount and who you are paying. The code works only for this payment.
confirm-amount = Amount
confirm-payee = To
confirm-message = Message
confirm-submit = Confirm payment
sms-confirm = { $sender }: { $code } is your code to confirm { $amount } to { $payee }. It is valid for { $minutes } minutes. Do not share it with anyone.
email-confirm-subject = Your code to confirm a payment
email-confirm-body = Your code to confirm { $amount } to { $payee } is { $code }. It is valid for { $minutes } minutes. If you did not start this payment, do not use the code.
