package dev.sluice.day;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The developers and where their homes and checkouts are, in one of two layouts.
 *
 * <ul>
 *   <li>{@link Layout#SHARED}: as in dev containers, every developer runs with the same {@code HOME}
 *       ({@code <root>/shared/home/dev}) and the same checkout path ({@code <root>/shared/workspaces/calc}).
 *       On one machine the developers' own directories are moved to those two paths for each of their runs
 *       (runs are sequential) and moved back after; the CLI sees exactly one developer's files there.
 *   <li>{@link Layout#OWN_HOMES}: {@code <root>/home/<dev>} with the checkout at a different depth per developer.
 * </ul>
 * Either way each developer has their own git identity, Claude Code state and checkout.
 */
final class Team {

    enum Layout { SHARED, OWN_HOMES }

    /** A developer; {@code ownWorkspace} is the checkout relative to their home in the own-homes layout. */
    record Developer(String name, String gitName, String ownWorkspace) {
    }

    static final List<Developer> DEVELOPERS = List.of(
            new Developer("alice", "Alice Example", "src/calc"),
            new Developer("bob", "Bob Builder", "work/projects/calc"),
            new Developer("carol", "Carol Coder", "calc"),
            new Developer("dave", "Dave Debugger", "code/team/repos/calc"));

    private final Path root;
    private final Layout layout;

    Team(Path root, Layout layout) {
        this.root = root;
        this.layout = layout;
    }

    Layout layout() {
        return layout;
    }

    /** Where the developer's home lives between runs. */
    Path home(Developer d) {
        return layout == Layout.SHARED ? root.resolve("devs").resolve(d.name()).resolve("home") : root.resolve("home").resolve(d.name());
    }

    /** Where the developer's checkout lives between runs. */
    Path checkout(Developer d) {
        return layout == Layout.SHARED ? root.resolve("devs").resolve(d.name()).resolve("calc") : home(d).resolve(d.ownWorkspace());
    }

    Path sharedHome() {
        return root.resolve("shared/home/dev");
    }

    Path sharedCheckout() {
        return root.resolve("shared/workspaces/calc");
    }

    /** Creates every home with its git identity and clones the repository into every checkout. */
    void checkOut(Path origin) throws IOException, InterruptedException {
        Files.createDirectories(sharedHome().getParent());
        Files.createDirectories(sharedCheckout().getParent());
        for (Developer d : DEVELOPERS) {
            Path home = home(d);
            Files.createDirectories(home);
            Files.writeString(home.resolve(".gitconfig"), "[user]\n\tname = " + d.gitName() + "\n\temail = " + d.name()
                    + "@example.com\n[pull]\n\tff = only\n");
            Path checkout = checkout(d);
            Files.createDirectories(checkout.getParent());
            DayRepo.run(checkout.getParent(), Map.of("HOME", home.toString()), "clone", "-q", origin.toString(),
                    checkout.getFileName().toString());
        }
    }

    /** Pulls the latest commits into the developer's checkout, as they would before asking. */
    void pull(Developer d) throws IOException, InterruptedException {
        DayRepo.run(checkout(d), Map.of("HOME", home(d).toString()), "pull", "-q");
    }

    /** A developer's directories, in place for one CLI run. */
    record Seat(Path home, Path checkout) {
    }

    /** Puts the developer's directories where the CLI will run; {@link #stand} undoes it. */
    Seat sit(Developer d) throws IOException {
        if (layout == Layout.OWN_HOMES) {
            return new Seat(home(d), checkout(d));
        }
        Files.move(home(d), sharedHome());
        Files.move(checkout(d), sharedCheckout());
        return new Seat(sharedHome(), sharedCheckout());
    }

    void stand(Developer d) throws IOException {
        if (layout == Layout.SHARED) {
            Files.move(sharedHome(), home(d));
            Files.move(sharedCheckout(), checkout(d));
        }
    }
}
