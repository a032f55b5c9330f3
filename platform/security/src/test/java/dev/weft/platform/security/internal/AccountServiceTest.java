package dev.weft.platform.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.api.core.ValidationException;
import dev.weft.api.core.Violation;
import dev.weft.api.core.WeftException;
import dev.weft.platform.security.Account;
import dev.weft.platform.security.Invitation;
import dev.weft.platform.security.Member;
import dev.weft.platform.security.Membership;
import dev.weft.platform.security.NewSession;
import dev.weft.platform.security.Role;
import dev.weft.platform.security.Session;
import dev.weft.platform.store.Workspace;
import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class AccountServiceTest {

    /** Cheap parameters: the OWASP ones are tested in {@link Argon2PasswordsTest}. */
    static final Argon2Passwords.Params CHEAP = new Argon2Passwords.Params(64, 1, 1);
    static final String PASSWORD = "owner password 1";

    /** Counts the verifications, to see that an unknown email costs one too. */
    static final class CountingPasswords extends Argon2Passwords {
        final AtomicInteger verified = new AtomicInteger();
        final AtomicInteger dummies = new AtomicInteger();

        CountingPasswords() {
            super(CHEAP, new Secrets());
        }

        @Override
        boolean verify(char[] password, String phc) {
            verified.incrementAndGet();
            return super.verify(password, phc);
        }

        @Override
        boolean verifyDummy(char[] password) {
            dummies.incrementAndGet();
            return super.verifyDummy(password);
        }
    }

    final TestDatabase db = new TestDatabase();
    final MutableClock clock = new MutableClock();
    final CountingPasswords passwords = new CountingPasswords();
    final AccountService accounts = new AccountService(db.dataSource(), clock, new Secrets(), passwords,
            Duration.ofDays(7));

    static char[] pw(String password) {
        return password.toCharArray();
    }

    Account owner() {
        return accounts.createOwner("Owner@Example.com", "The Owner", pw(PASSWORD));
    }

    NewSession signIn(String email, String password) {
        return accounts.login(email, pw(password)).orElseThrow();
    }

    /** Creates an account through an invitation to a workspace. */
    Account join(String workspaceId, String email, Role role) {
        Invitation invitation = accounts.invite(workspaceId, email, role, null);
        clock.advance(Duration.ofSeconds(1));
        return accounts.acceptInvitation(invitation.token(), "Member " + email, pw("member pass 1")).orElseThrow();
    }

    @Nested
    class Setup {

        @Test
        void should_create_the_owner_of_the_default_workspace_once() {
            assertThat(accounts.isSetUp()).isFalse();

            Account owner = owner();

            assertThat(owner.email()).isEqualTo("owner@example.com");
            assertThat(owner.name()).isEqualTo("The Owner");
            assertThat(owner.createdAt()).isEqualTo(clock.instant());
            assertThat(accounts.isSetUp()).isTrue();
            assertThat(accounts.memberships(owner.id())).containsExactly(
                    new Membership(db.defaultWorkspace(), "Default workspace", Role.OWNER));
        }

        @Test
        void should_close_for_good_once_an_owner_exists() {
            owner();

            assertThatThrownBy(() -> accounts.createOwner("other@example.com", "Other", pw("other pass 1")))
                    .isInstanceOfSatisfying(WeftException.class, e -> assertThat(e.code()).isEqualTo("already_setup"));
            // also for a new service instance (another node, a restart) and for invalid input
            AccountService fresh = new AccountService(db.dataSource(), clock, new Secrets(), passwords, Duration.ofDays(7));
            assertThat(fresh.isSetUp()).isTrue();
            assertThatThrownBy(() -> fresh.createOwner("", "", pw("")))
                    .isInstanceOfSatisfying(WeftException.class, e -> assertThat(e.code()).isEqualTo("already_setup"));
            assertThat(db.rows("SELECT id FROM account")).hasSize(1);
        }

        @Test
        void should_let_only_one_of_two_concurrent_setups_win() throws Exception {
            AccountService other = new AccountService(db.dataSource(), clock, new Secrets(), passwords, Duration.ofDays(7));
            CountDownLatch start = new CountDownLatch(1);
            Callable<String> first = () -> {
                start.await();
                return accounts.createOwner("first@example.com", "First", pw("first pass 1")).email();
            };
            Callable<String> second = () -> {
                start.await();
                return other.createOwner("second@example.com", "Second", pw("second pass 1")).email();
            };
            List<Object> outcomes = new ArrayList<>();
            try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
                Future<String> a = threads.submit(first);
                Future<String> b = threads.submit(second);
                start.countDown();
                for (Future<String> outcome : List.of(a, b)) {
                    try {
                        outcomes.add(outcome.get());
                    } catch (java.util.concurrent.ExecutionException e) {
                        outcomes.add(((WeftException) e.getCause()).code());
                    }
                }
            }

            assertThat(outcomes).containsOnlyOnce("already_setup");
            assertThat(db.rows("SELECT id FROM account")).hasSize(1);
            assertThat(db.rows("SELECT account_id FROM workspace_member WHERE role = 'owner'")).hasSize(1);
        }

        @Test
        void should_refuse_a_malformed_email_a_blank_name_and_a_weak_password_all_at_once() {
            assertThatThrownBy(() -> accounts.createOwner("not-an-email", "  ", pw("short")))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations())
                            .extracting(Violation::path).containsExactly("/email", "/name", "/password"));
            assertThatThrownBy(() -> accounts.createOwner("a@example.com", "A", pw("onlyletters")))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("/password");
            assertThatThrownBy(() -> accounts.createOwner("a@example.com", "A", pw("12345678")))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("letters and digits");
            assertThat(accounts.isSetUp()).isFalse();
        }

        @Test
        void should_store_an_argon2id_hash_and_never_the_password() {
            owner();

            String row = db.dump("account");
            assertThat(row).doesNotContain(PASSWORD);
            assertThat(db.rows("SELECT password_hash FROM account").get(0).get("PASSWORD_HASH"))
                    .startsWith("$argon2id$v=19$m=64,t=1,p=1$");
        }
    }

    @Nested
    class SignIn {

        @Test
        void should_open_a_session_in_the_oldest_workspace_with_a_normalised_email() {
            Account owner = owner();

            NewSession created = signIn("  OWNER@example.COM ", PASSWORD);

            Session session = created.session();
            assertThat(created.token()).matches("[A-Za-z0-9_-]{43}");
            assertThat(session.account()).isEqualTo(owner);
            assertThat(session.workspaceId()).isEqualTo(db.defaultWorkspace());
            assertThat(session.role()).isEqualTo(Role.OWNER);
            assertThat(session.csrfToken()).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(created.token());
            assertThat(session.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(7)));
            assertThat(created.toString()).doesNotContain(created.token());
            assertThat(accounts.session(created.token())).contains(session);
            assertThat(db.rows("SELECT last_login_at FROM account").get(0).get("LAST_LOGIN_AT")).isNotNull();
        }

        @Test
        void should_keep_only_the_sha256_of_the_session_token() {
            owner();
            NewSession created = signIn("owner@example.com", PASSWORD);

            assertThat(db.dump("account_session")).doesNotContain(created.token());
            assertThat(db.rows("SELECT token_hash FROM account_session").get(0).get("TOKEN_HASH"))
                    .isEqualTo(Secrets.sha256Hex(created.token()));
        }

        @Test
        void should_answer_empty_for_a_wrong_password() {
            owner();

            assertThat(accounts.login("owner@example.com", pw("owner password 2"))).isEmpty();
            assertThat(accounts.login("owner@example.com", pw(""))).isEmpty();
            assertThat(accounts.login("owner@example.com", null)).isEmpty();
            assertThat(db.rows("SELECT id FROM account_session")).isEmpty();
        }

        @Test
        void should_spend_one_verification_on_a_dummy_hash_for_an_unknown_email() {
            owner();
            passwords.verified.set(0);

            assertThat(accounts.login("nobody@example.com", pw(PASSWORD))).isEmpty();
            assertThat(accounts.login(null, pw(PASSWORD))).isEmpty();
            assertThat(accounts.login("x".repeat(10_000), pw(PASSWORD))).isEmpty();

            assertThat(passwords.dummies).hasValue(3);
            // the dummy path runs a real verification, like a wrong password does
            assertThat(passwords.verified).hasValue(3);
        }

        @Test
        void should_upgrade_a_hash_made_with_older_parameters_at_sign_in() {
            owner();
            Argon2Passwords stronger = new Argon2Passwords(new Argon2Passwords.Params(128, 2, 1), new Secrets());
            AccountService upgraded = new AccountService(db.dataSource(), clock, new Secrets(), stronger, Duration.ofDays(7));

            assertThat(upgraded.login("owner@example.com", pw(PASSWORD))).isPresent();

            assertThat(db.rows("SELECT password_hash FROM account").get(0).get("PASSWORD_HASH"))
                    .startsWith("$argon2id$v=19$m=128,t=2,p=1$");
            assertThat(accounts.login("owner@example.com", pw(PASSWORD))).isPresent();
        }

        @Test
        void should_not_change_the_callers_password_array() {
            char[] password = pw(PASSWORD);
            accounts.createOwner("owner@example.com", "Owner", password);

            assertThat(accounts.login("owner@example.com", password)).isPresent();
            assertThat(new String(password)).isEqualTo(PASSWORD);
        }
    }

    @Nested
    class Sessions {

        @Test
        void should_expire_sessions_after_their_lifetime() {
            owner();
            String token = signIn("owner@example.com", PASSWORD).token();

            clock.advance(Duration.ofDays(7).minusSeconds(1));
            assertThat(accounts.session(token)).isPresent();
            clock.advance(Duration.ofSeconds(1));
            assertThat(accounts.session(token)).isEmpty();
        }

        @Test
        void should_take_the_lifetime_from_the_configuration() {
            owner();
            AccountService configured = new AccountService(db.dataSource(), config(14));

            Session session = configured.login("owner@example.com", pw(PASSWORD)).orElseThrow().session();

            assertThat(Duration.between(java.time.Instant.now(), session.expiresAt()))
                    .isGreaterThan(Duration.ofDays(13)).isLessThanOrEqualTo(Duration.ofDays(14));
        }

        @Test
        void should_open_nothing_after_logout() {
            owner();
            String token = signIn("owner@example.com", PASSWORD).token();
            String other = signIn("owner@example.com", PASSWORD).token();

            accounts.logout(token);

            assertThat(accounts.session(token)).isEmpty();
            assertThat(accounts.switchWorkspace(token, db.defaultWorkspace())).isEmpty();
            assertThat(accounts.session(other)).as("the account's other sessions stay").isPresent();
            assertThat(db.rows("SELECT revoked_at FROM account_session WHERE token_hash = ?", Secrets.sha256Hex(token))
                    .get(0).get("REVOKED_AT")).isNotNull();
            accounts.logout(token);
            accounts.logout("unknown");
            accounts.logout(null);
        }

        @Test
        void should_change_a_password_given_the_current_one_and_sign_out_the_other_sessions() {
            Account owner = owner();
            String kept = signIn("owner@example.com", PASSWORD).token();
            String other = signIn("owner@example.com", PASSWORD).token();

            assertThat(accounts.changePassword(owner.id(), "wrong pass 1".toCharArray(), "next pass 22".toCharArray(), kept))
                    .isFalse();
            assertThat(accounts.session(other)).as("a wrong current password changes nothing").isPresent();
            assertThatThrownBy(() -> accounts.changePassword(owner.id(), PASSWORD.toCharArray(), "weak".toCharArray(), kept))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("/new_password");
            assertThat(accounts.changePassword(owner.id(), PASSWORD.toCharArray(), "next pass 22".toCharArray(), kept))
                    .isTrue();

            assertThat(accounts.session(kept)).isPresent();
            assertThat(accounts.session(other)).isEmpty();
            assertThat(accounts.login("owner@example.com", PASSWORD.toCharArray())).isEmpty();
            assertThat(accounts.login("owner@example.com", "next pass 22".toCharArray())).isPresent();
            assertThat(accounts.changePassword("not-an-id", PASSWORD.toCharArray(), "x pass 333".toCharArray(), kept)).isFalse();
        }

        @Test
        void should_reset_a_password_without_the_current_one_and_sign_out_every_session() {
            owner();
            String session = signIn("owner@example.com", PASSWORD).token();

            assertThat(accounts.resetPassword("nobody@example.com", "reset pass 1".toCharArray())).isEmpty();
            assertThat(accounts.session(session)).isPresent();
            assertThat(accounts.resetPassword("Owner@Example.com", "reset pass 1".toCharArray())).get()
                    .extracting(Account::email).isEqualTo("owner@example.com");

            assertThat(accounts.session(session)).isEmpty();
            assertThat(accounts.login("owner@example.com", PASSWORD.toCharArray())).isEmpty();
            assertThat(accounts.login("owner@example.com", "reset pass 1".toCharArray())).isPresent();
            assertThatThrownBy(() -> accounts.resetPassword("owner@example.com", "weak".toCharArray()))
                    .isInstanceOf(ValidationException.class);
        }

        @Test
        void should_answer_empty_for_unknown_and_malformed_tokens() {
            owner();
            signIn("owner@example.com", PASSWORD);

            assertThat(accounts.session(null)).isEmpty();
            assertThat(accounts.session("")).isEmpty();
            assertThat(accounts.session("null")).isEmpty();
            assertThat(accounts.session(new Secrets().token())).isEmpty();
            assertThat(accounts.session("' OR 1=1 --" + "x".repeat(32))).isEmpty();
        }

        @Test
        void should_switch_to_a_workspace_of_the_account_only() {
            Account owner = owner();
            clock.advance(Duration.ofMinutes(1));
            Workspace second = accounts.createWorkspace(owner.id(), "Second");
            String foreign = db.insertWorkspace("Someone else's");
            String token = signIn("owner@example.com", PASSWORD).token();

            Session switched = accounts.switchWorkspace(token, second.id()).orElseThrow();

            assertThat(switched.workspaceId()).isEqualTo(second.id());
            assertThat(switched.role()).isEqualTo(Role.OWNER);
            assertThat(accounts.session(token)).get().extracting(Session::workspaceId).isEqualTo(second.id());
            assertThat(accounts.switchWorkspace(token, foreign)).isEmpty();
            assertThat(accounts.switchWorkspace(token, UUID.randomUUID().toString())).isEmpty();
            assertThat(accounts.switchWorkspace(token, "not-a-uuid")).isEmpty();
            assertThat(accounts.session(token)).get().extracting(Session::workspaceId)
                    .as("a refused switch changes nothing").isEqualTo(second.id());
        }

        @Test
        void should_answer_the_role_as_of_now_and_fall_back_when_the_membership_goes() {
            Account owner = owner();
            String workspace = db.defaultWorkspace();
            Account member = join(workspace, "member@example.com", Role.EDITOR);
            clock.advance(Duration.ofMinutes(1));
            Workspace own = accounts.createWorkspace(member.id(), "Own");
            String token = signIn("member@example.com", "member pass 1").token();
            assertThat(accounts.session(token)).get().extracting(Session::workspaceId, Session::role)
                    .containsExactly(workspace, Role.EDITOR);

            accounts.changeRole(workspace, member.id(), Role.ADMIN);
            assertThat(accounts.session(token)).get().extracting(Session::role).isEqualTo(Role.ADMIN);

            accounts.removeMember(workspace, member.id());
            assertThat(accounts.session(token)).get().extracting(Session::workspaceId, Session::role)
                    .containsExactly(own.id(), Role.OWNER);

            db.update("DELETE FROM workspace WHERE id = ?", UUID.fromString(own.id()));
            assertThat(accounts.session(token)).as("no workspace left").isEmpty();
            assertThat(accounts.session(signIn("owner@example.com", PASSWORD).token())).get()
                    .extracting(Session::account).isEqualTo(owner);
        }

        @Test
        void should_refuse_sign_in_for_an_account_without_a_workspace() {
            owner();
            Account member = join(db.defaultWorkspace(), "member@example.com", Role.NORMAL);
            accounts.removeMember(db.defaultWorkspace(), member.id());

            assertThat(accounts.login("member@example.com", pw("member pass 1"))).isEmpty();
        }

        @Test
        void should_write_last_seen_at_most_once_a_minute() {
            owner();
            String token = signIn("owner@example.com", PASSWORD).token();
            String first = lastSeen();

            clock.advance(Duration.ofSeconds(30));
            accounts.session(token);
            assertThat(lastSeen()).isEqualTo(first);

            clock.advance(Duration.ofSeconds(31));
            accounts.session(token);
            assertThat(lastSeen()).isNotEqualTo(first);
        }

        private String lastSeen() {
            return db.rows("SELECT last_seen_at FROM account_session").get(0).get("LAST_SEEN_AT");
        }
    }

    @Nested
    class Workspaces {

        @Test
        void should_create_a_workspace_owned_by_its_creator() {
            Account owner = owner();
            clock.advance(Duration.ofMinutes(1));

            Workspace created = accounts.createWorkspace(owner.id(), "  Research  ");

            assertThat(created.name()).isEqualTo("Research");
            assertThat(created.createdAt()).isEqualTo(clock.instant());
            assertThat(db.rows("SELECT name, is_default FROM workspace WHERE id = ?", UUID.fromString(created.id())))
                    .containsExactly(Map.of("NAME", "Research", "IS_DEFAULT", "FALSE"));
            assertThat(accounts.memberships(owner.id())).extracting(Membership::workspaceName)
                    .containsExactly("Default workspace", "Research");
            assertThat(accounts.role(created.id(), owner.id())).contains(Role.OWNER);
            assertThat(accounts.members(created.id())).singleElement().satisfies(member -> {
                assertThat(member.accountId()).isEqualTo(owner.id());
                assertThat(member.email()).isEqualTo("owner@example.com");
                assertThat(member.role()).isEqualTo(Role.OWNER);
            });
        }

        @Test
        void should_refuse_blank_names_and_unknown_accounts() {
            Account owner = owner();

            assertThatThrownBy(() -> accounts.createWorkspace(owner.id(), " "))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("/name");
            assertThatThrownBy(() -> accounts.createWorkspace(owner.id(), "x".repeat(101)))
                    .isInstanceOf(ValidationException.class);
            assertThatThrownBy(() -> accounts.createWorkspace(UUID.randomUUID().toString(), "X"))
                    .isInstanceOfSatisfying(WeftException.class, e -> assertThat(e.code()).isEqualTo("account_not_found"));
            assertThatThrownBy(() -> accounts.createWorkspace("nope", "X"))
                    .isInstanceOfSatisfying(WeftException.class, e -> assertThat(e.code()).isEqualTo("account_not_found"));
            assertThat(db.rows("SELECT id FROM workspace")).hasSize(1);
        }

        @Test
        void should_answer_empty_for_unknown_and_malformed_ids() {
            owner();

            assertThat(accounts.members(UUID.randomUUID().toString())).isEmpty();
            assertThat(accounts.members("x' OR '1'='1")).isEmpty();
            assertThat(accounts.memberships("nope")).isEmpty();
            assertThat(accounts.invitations("nope")).isEmpty();
            assertThat(accounts.role("nope", "nope")).isEmpty();
            assertThat(accounts.changeRole("nope", "nope", Role.ADMIN)).isFalse();
            assertThat(accounts.removeMember(db.defaultWorkspace(), UUID.randomUUID().toString())).isFalse();
        }

        @Test
        void should_keep_the_last_owner() {
            Account owner = owner();
            String workspace = db.defaultWorkspace();

            assertThatThrownBy(() -> accounts.changeRole(workspace, owner.id(), Role.ADMIN))
                    .isInstanceOfSatisfying(WeftException.class, e -> assertThat(e.code()).isEqualTo("last_owner"));
            assertThatThrownBy(() -> accounts.removeMember(workspace, owner.id()))
                    .isInstanceOfSatisfying(WeftException.class, e -> assertThat(e.code()).isEqualTo("last_owner"));
            assertThat(accounts.role(workspace, owner.id())).contains(Role.OWNER);
            assertThat(accounts.changeRole(workspace, owner.id(), Role.OWNER)).as("no change").isTrue();
        }

        @Test
        void should_let_an_owner_go_once_another_owner_exists() {
            Account owner = owner();
            String workspace = db.defaultWorkspace();
            Account admin = join(workspace, "admin@example.com", Role.ADMIN);

            assertThat(accounts.changeRole(workspace, admin.id(), Role.OWNER)).isTrue();
            assertThat(accounts.changeRole(workspace, owner.id(), Role.EDITOR)).isTrue();
            assertThatThrownBy(() -> accounts.removeMember(workspace, admin.id()))
                    .isInstanceOfSatisfying(WeftException.class, e -> assertThat(e.code()).isEqualTo("last_owner"));
            assertThat(accounts.removeMember(workspace, owner.id())).isTrue();
            assertThat(accounts.members(workspace)).extracting(Member::email, Member::role)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("admin@example.com", Role.OWNER));
            assertThatThrownBy(() -> accounts.changeRole(workspace, admin.id(), null))
                    .isInstanceOf(ValidationException.class);
        }
    }

    @Nested
    class Invitations {

        @Test
        void should_create_an_account_from_an_invitation_once() {
            Account owner = owner();
            String workspace = db.defaultWorkspace();

            Invitation invitation = accounts.invite(workspace, " New@Example.com ", Role.EDITOR, owner.id());

            assertThat(invitation.email()).isEqualTo("new@example.com");
            assertThat(invitation.role()).isEqualTo(Role.EDITOR);
            assertThat(invitation.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(72)));
            assertThat(invitation.token()).matches("[A-Za-z0-9_-]{43}");
            assertThat(invitation.toString()).doesNotContain(invitation.token());
            assertThat(db.dump("invitation")).doesNotContain(invitation.token()).contains(owner.id());
            assertThat(accounts.invitations(workspace)).singleElement().satisfies(listed -> {
                assertThat(listed.id()).isEqualTo(invitation.id());
                assertThat(listed.token()).isNull();
            });

            Account joined = accounts.acceptInvitation(invitation.token(), "New Person", pw("new pass 12")).orElseThrow();

            assertThat(joined.email()).isEqualTo("new@example.com");
            assertThat(joined.name()).isEqualTo("New Person");
            assertThat(accounts.role(workspace, joined.id())).contains(Role.EDITOR);
            assertThat(accounts.login("new@example.com", pw("new pass 12"))).isPresent();
            assertThat(accounts.invitations(workspace)).isEmpty();
            assertThat(accounts.acceptInvitation(invitation.token(), "Again", pw("new pass 12"))).isEmpty();
        }

        @Test
        void should_expire_after_72_hours() {
            owner();
            Invitation invitation = accounts.invite(db.defaultWorkspace(), "late@example.com", Role.NORMAL, null);

            clock.advance(Duration.ofHours(72));

            assertThat(accounts.invitations(db.defaultWorkspace())).isEmpty();
            assertThat(accounts.acceptInvitation(invitation.token(), "Late", pw("late pass 1"))).isEmpty();
            assertThat(db.rows("SELECT id FROM account WHERE email = 'late@example.com'")).isEmpty();
        }

        @Test
        void should_add_an_existing_account_that_proves_its_password() {
            owner();
            Account member = join(db.defaultWorkspace(), "member@example.com", Role.NORMAL);
            clock.advance(Duration.ofMinutes(1));
            Workspace other = accounts.createWorkspace(member.id(), "Member's");
            Account second = join(other.id(), "second@example.com", Role.NORMAL);
            Invitation invitation = accounts.invite(db.defaultWorkspace(), "second@example.com", Role.ADMIN, null);

            assertThat(accounts.acceptInvitation(invitation.token(), "ignored", pw("wrong pass 1"))).isEmpty();
            assertThat(accounts.role(db.defaultWorkspace(), second.id())).as("a wrong password joins nothing").isEmpty();

            assertThat(accounts.acceptInvitation(invitation.token(), "ignored", pw("member pass 1"))).contains(second);
            assertThat(accounts.role(db.defaultWorkspace(), second.id())).contains(Role.ADMIN);
            assertThat(accounts.memberships(second.id())).hasSize(2);
            assertThat(db.rows("SELECT name FROM account WHERE id = ?", UUID.fromString(second.id())).get(0))
                    .containsEntry("NAME", "Member second@example.com");
        }

        @Test
        void should_refuse_owner_invitations_and_members() {
            Account owner = owner();
            String workspace = db.defaultWorkspace();

            assertThatThrownBy(() -> accounts.invite(workspace, "x@example.com", Role.OWNER, null))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations())
                            .extracting(Violation::path).containsExactly("/role"));
            assertThatThrownBy(() -> accounts.invite(workspace, "x@example.com", null, null))
                    .isInstanceOf(ValidationException.class);
            assertThatThrownBy(() -> accounts.invite(workspace, "bad email", Role.NORMAL, null))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("/email");
            assertThatThrownBy(() -> accounts.invite(workspace, "OWNER@example.com", Role.ADMIN, owner.id()))
                    .isInstanceOfSatisfying(WeftException.class, e -> assertThat(e.code()).isEqualTo("already_member"));
            assertThatThrownBy(() -> accounts.invite(UUID.randomUUID().toString(), "x@example.com", Role.NORMAL, null))
                    .isInstanceOfSatisfying(WeftException.class, e -> assertThat(e.code()).isEqualTo("workspace_not_found"));
            assertThat(accounts.invitations(workspace)).isEmpty();
        }

        @Test
        void should_validate_the_new_accounts_name_and_password_and_keep_the_invitation_open() {
            owner();
            Invitation invitation = accounts.invite(db.defaultWorkspace(), "new@example.com", Role.NORMAL, null);

            assertThatThrownBy(() -> accounts.acceptInvitation(invitation.token(), "", pw("weak")))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations())
                            .extracting(Violation::path).containsExactly("/name", "/password"));

            assertThat(accounts.acceptInvitation(invitation.token(), "New", pw("strong pass 1"))).isPresent();
        }

        @Test
        void should_replace_an_open_invitation_of_the_same_email() {
            owner();
            Invitation first = accounts.invite(db.defaultWorkspace(), "new@example.com", Role.NORMAL, null);
            Invitation second = accounts.invite(db.defaultWorkspace(), "new@example.com", Role.EDITOR, null);

            assertThat(accounts.invitations(db.defaultWorkspace())).extracting(Invitation::id).containsExactly(second.id());
            assertThat(accounts.acceptInvitation(first.token(), "New", pw("strong pass 1"))).isEmpty();
            assertThat(accounts.acceptInvitation(second.token(), "New", pw("strong pass 1"))).isPresent();
        }

        @Test
        void should_answer_empty_for_unknown_and_malformed_tokens() {
            owner();

            assertThat(accounts.acceptInvitation(null, "X", pw("strong pass 1"))).isEmpty();
            assertThat(accounts.acceptInvitation("", "X", pw("strong pass 1"))).isEmpty();
            assertThat(accounts.acceptInvitation(new Secrets().token(), "X", pw("strong pass 1"))).isEmpty();
        }
    }

    static SecurityConfig config(int sessionDays) {
        return new SecurityConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SecurityConfig.class;
            }

            @Override
            public int session_days() {
                return sessionDays;
            }

            @Override
            public int throttle_client_failures() {
                return 10;
            }

            @Override
            public int throttle_target_failures() {
                return 100;
            }

            @Override
            public int throttle_window_seconds() {
                return 60;
            }
        };
    }
}
