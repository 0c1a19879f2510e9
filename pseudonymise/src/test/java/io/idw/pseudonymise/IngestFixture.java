package io.idw.pseudonymise;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small raw input folder with planted dirt, and the clear values (canaries) it contains. Two
 * sources: {@code home_visits} (flags invalid NHS numbers) and {@code clinic_contacts}
 * (quarantines them).
 */
final class IngestFixture {
  final Path dir;
  final List<String> canaries = new ArrayList<>();
  /** Rows per source and month, and how many of them are planted bad rows (quarantined). */
  int visitsRowsMarch;
  int visitsBadMarch;
  int visitsRowsApril;
  int visitsBadApril;
  int clinicRows;
  int clinicBad;

  static final String VISITS_SPEC = """
      name: home_visits
      description: test source
      format: csv
      options: {header: "true", delimiter: ",", quote: "\\"", escape: "\\""}
      recordId: visit_id
      eventDate: {column: visit_date, format: dd/MM/yyyy}
      onInvalidIdentifier: flag
      columns:
        - {name: visit_id, type: string, required: true}
        - {name: nhs_number, type: string, identifier: nhs_number}
        - {name: forename, type: string, identifier: given_name}
        - {name: surname, type: string, identifier: family_name}
        - {name: dob, type: string, identifier: date_of_birth, format: dd/MM/yyyy}
        - {name: sex, type: string, identifier: sex}
        - {name: address_line, type: string, identifier: address}
        - {name: postcode, type: string, identifier: postcode}
        - {name: uprn, type: string, identifier: uprn}
        - {name: practice_code, type: string}
        - {name: visit_date, type: date}
        - {name: cost, type: "decimal(10,2)"}
      """;

  static final String CLINIC_SPEC = """
      name: clinic_contacts
      format: csv
      options: {header: "true"}
      recordId: contact_id
      eventDate: {column: contact_date}
      onInvalidIdentifier: quarantine
      columns:
        - {name: contact_id, type: string, required: true}
        - {name: nhs_number, type: string, identifier: nhs_number}
        - {name: date_of_birth, type: string, identifier: date_of_birth}
        - {name: contact_date, type: date}
        - {name: minutes, type: int}
      """;

  // people: nhs, forename, surname, dob (dd/MM/yyyy), sex, address, postcode, uprn
  static final String[][] PEOPLE = {
      {"943 476 5919", "Quillamina", "Thistlewood", "07/03/1980", "F", "12 Rosebank Lane", "ME14 5AB", "000100023336956"},
      {"4010232137", "Barnabyx", "Featherstonehaugh", "25/12/1950", "M", "4 Orchard Close", "CT1 1AA", "200003456789"},
      {"9990000018", "Ottiline", "Wrexhamford", "01/01/2001", "F", "Flat 3, Mill House", "TN23 7XY", "10012345"},
  };

  IngestFixture(Path dir) throws IOException {
    this.dir = dir;
    Files.createDirectories(dir.resolve("specs"));
    Files.writeString(dir.resolve("specs/home_visits.yaml"), VISITS_SPEC);
    Files.writeString(dir.resolve("specs/clinic_contacts.yaml"), CLINIC_SPEC);
    for (String[] p : PEOPLE) {
      canaries.add(p[0]);
      canaries.add(p[0].replace(" ", ""));
      canaries.add(p[1]);
      canaries.add(p[1].toUpperCase());
      canaries.add(p[2]);
      canaries.add(p[2].toUpperCase());
      canaries.add(p[3]);
      String[] d = p[3].split("/");
      canaries.add(d[2] + "-" + d[1] + "-" + d[0]);
      canaries.add(d[2] + d[1] + d[0]);
      canaries.add(p[5]);
      canaries.add(p[6]);
      canaries.add(p[6].replace(" ", ""));
      canaries.add(p[7]);
    }

    List<String> march = new ArrayList<>();
    march.add("visit_id,nhs_number,forename,surname,dob,sex,address_line,postcode,uprn,practice_code,visit_date,cost,extra_undeclared");
    march.add(row("V1", PEOPLE[0], "G82001", "10/03/2024", "12.50"));
    march.add(row("V2", PEOPLE[1], "G82002", "11/03/2024", "0"));
    march.add(row("V3", PEOPLE[2], "G82001", "28/02/2024", "")); // late-arriving event: loads
    march.add(row("V4", withNhs(PEOPLE[0], "943 476 5918"), "G82001", "12/03/2024", "1")); // bad check digit: flag, loads
    march.add(row("V5", withNhs(PEOPLE[1], "1111111111"), "G82001", "12/03/2024", "1")); // placeholder: flag, loads
    // planted bad rows
    march.add(row("V2", PEOPLE[1], "G82002", "13/03/2024", "3")); // duplicate id
    march.add(row("", PEOPLE[2], "G82002", "13/03/2024", "3")); // missing record id
    march.add(row("V6", PEOPLE[2], "G82002", "31/02/2024", "3")); // impossible date
    march.add(row("V7", PEOPLE[0], "G82002", "13/03/2024", "lots")); // not a decimal
    march.add("V8,\"" + PEOPLE[1][0] + "\",Barnabyx,Featherstonehaugh,25/12/1950,M,x,CT1 1AA,1,G1,13/03/2024,1,a,b,c"); // too many fields
    visitsRowsMarch = march.size() - 1;
    visitsBadMarch = 5;
    write("home_visits", "2024-03", march);

    List<String> april = new ArrayList<>();
    april.add(march.get(0));
    april.add(row("V1", PEOPLE[0], "G82001", "02/04/2024", "5")); // same record id, new extract: loads
    april.add(row("V9", PEOPLE[2], "G82003", "03/04/2024", "5"));
    visitsRowsApril = 2;
    visitsBadApril = 0;
    write("home_visits", "2024-04", april);

    List<String> clinic = new ArrayList<>();
    clinic.add("contact_id,nhs_number,date_of_birth,contact_date,minutes");
    clinic.add("C1," + PEOPLE[0][0] + ",1980-03-07,2024-03-01,30");
    clinic.add("C2,943 476 5918,1950-12-25,2024-03-02,15"); // invalid: quarantined by policy
    clinic.add("C3,0000000000,2001-01-01,2024-03-03,15"); // placeholder: quarantined
    clinic.add("C4,,2001-01-01,2024-03-03,15"); // missing NHS number: loads (missing is not invalid)
    clinicRows = 4;
    clinicBad = 2;
    write("clinic_contacts", "2024-03", clinic);

    Files.createDirectories(dir.resolve("reference"));
    Files.writeString(dir.resolve("reference/postcode_lsoa.csv"), "postcode,lsoa\nME14 5AB,E01024012\nCT1 1AA,E01024100\n");
    Files.writeString(dir.resolve("reference/lsoa_imd.csv"), "lsoa,imd_decile,district\nE01024012,4,Maidstone\nE01024100,2,Canterbury\n");
  }

  private static String[] withNhs(String[] p, String nhs) {
    String[] c = p.clone();
    c[0] = nhs;
    return c;
  }

  private static String row(String id, String[] p, String practice, String date, String cost) {
    return String.join(",", id, p[0], p[1], p[2], p[3], p[4], "\"" + p[5] + "\"", p[6], p[7], practice, date, cost, "zzz");
  }

  private void write(String source, String month, List<String> lines) throws IOException {
    Path d = dir.resolve("raw").resolve(source).resolve(month);
    Files.createDirectories(d);
    Files.writeString(d.resolve(source + "_" + month + ".csv"), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
  }
}
