package dev.sluice.budget.alert;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Properties;

/** Sends the alert as a plain-text email over SMTP (Angus Mail), with STARTTLS and login when configured. */
public final class EmailSink implements AlertSink {
    private final String name;
    private final Session session;
    private final String from;
    private final List<String> to;
    private final String username;
    private final String password;

    public EmailSink(String name, String host, int port, String from, List<String> to, String username, String password, boolean starttls,
                     Duration timeout) {
        this.name = name;
        this.from = from;
        this.to = List.copyOf(to);
        this.username = username;
        this.password = password;
        Properties p = new Properties();
        p.put("mail.smtp.host", host);
        p.put("mail.smtp.port", Integer.toString(port));
        p.put("mail.smtp.connectiontimeout", Long.toString(timeout.toMillis()));
        p.put("mail.smtp.timeout", Long.toString(timeout.toMillis()));
        p.put("mail.smtp.writetimeout", Long.toString(timeout.toMillis()));
        p.put("mail.smtp.auth", Boolean.toString(username != null));
        p.put("mail.smtp.starttls.enable", Boolean.toString(starttls));
        p.put("mail.smtp.starttls.required", Boolean.toString(starttls));
        this.session = Session.getInstance(p);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void send(AlertPayload alert) throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(from));
        for (String t : to) {
            m.addRecipient(Message.RecipientType.TO, new InternetAddress(t));
        }
        m.setSubject("[sluice] " + alert.headline(), "UTF-8");
        m.setSentDate(new Date());
        m.setText(alert.text() + "\n\n" + alert.toJson() + "\n", "UTF-8");
        if (username != null) {
            Transport.send(m, username, password);
        } else {
            Transport.send(m);
        }
    }
}
