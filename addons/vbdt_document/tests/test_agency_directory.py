"""The directory is seeded with the senders every agency receives from: the
ministries and ministerial-level bodies under their 2025 names, without
invented identifier codes, found by the sender picker whatever the accents."""

from odoo.tests import tagged

from .common import VbdtDocumentCommon

SEEDED = {
    "vbdt_agency_bqp": "Bộ Quốc phòng",
    "vbdt_agency_bca": "Bộ Công an",
    "vbdt_agency_bng": "Bộ Ngoại giao",
    "vbdt_agency_bnv": "Bộ Nội vụ",
    "vbdt_agency_btp": "Bộ Tư pháp",
    "vbdt_agency_btc": "Bộ Tài chính",
    "vbdt_agency_bct": "Bộ Công Thương",
    "vbdt_agency_bnnmt": "Bộ Nông nghiệp và Môi trường",
    "vbdt_agency_bxd": "Bộ Xây dựng",
    "vbdt_agency_bvhttdl": "Bộ Văn hóa, Thể thao và Du lịch",
    "vbdt_agency_bkhcn": "Bộ Khoa học và Công nghệ",
    "vbdt_agency_bgddt": "Bộ Giáo dục và Đào tạo",
    "vbdt_agency_byt": "Bộ Y tế",
    "vbdt_agency_bdttg": "Bộ Dân tộc và Tôn giáo",
    "vbdt_agency_nhnn": "Ngân hàng Nhà nước Việt Nam",
    "vbdt_agency_ttcp": "Thanh tra Chính phủ",
    "vbdt_agency_vpcp": "Văn phòng Chính phủ",
}
# The demo completes these with codes and contacts (its older ids).
DEMO_COMPLETED = {"vbdt_agency_vpcp", "vbdt_agency_bkhcn", "vbdt_agency_bnv"}
# Merged or renamed in 2025: no longer senders of new documents.
FORMER = (
    "Bộ Kế hoạch và Đầu tư",
    "Bộ Lao động - Thương binh và Xã hội",
    "Bộ Tài nguyên và Môi trường",
    "Bộ Giao thông vận tải",
    "Ủy ban Dân tộc",
)


@tagged("vbdt")
class TestAgencyDirectory(VbdtDocumentCommon):
    def test_ministries_seeded_under_2025_names_without_codes(self):
        Agency = self.env["vbdt.agency"]
        for xmlid, name in SEEDED.items():
            with self.subTest(agency=name):
                agency = self.env.ref(f"vbdt_document.{xmlid}")
                self.assertEqual(agency.name, name)
                self.assertEqual(agency.tier, "central")
                self.assertEqual(
                    Agency.search_count([("name", "=", name)]), 1, "one entry each"
                )
                if xmlid not in DEMO_COMPLETED:
                    self.assertFalse(agency.code, "no invented code")
                    self.assertFalse(agency.code_qd20, "no invented code")
        for name in FORMER:
            with self.subTest(former=name):
                self.assertFalse(Agency.search([("name", "=", name)]))

    def test_demo_ids_complete_the_seeded_entries(self):
        demo = self.env.ref(
            "vbdt_document.vbdt_agency_vpcp_demo", raise_if_not_found=False
        )
        if demo is None:
            # installed without demo data: the seeded entries carry no code
            codes = [self.env.ref(f"vbdt_document.{xmlid}").code for xmlid in SEEDED]
            self.assertEqual(codes, [False] * len(SEEDED))
            return
        self.assertEqual(demo, self.env.ref("vbdt_document.vbdt_agency_vpcp"))
        self.assertEqual(
            self.env.ref("vbdt_document.vbdt_agency_btttt_demo"),
            self.env.ref("vbdt_document.vbdt_agency_bkhcn"),
        )
        self.assertEqual(
            self.env.ref("vbdt_document.vbdt_agency_bnv_demo"),
            self.env.ref("vbdt_document.vbdt_agency_bnv"),
        )
        self.assertEqual(demo.code, "000.00.00.G22", "the demo adds its codes")

    def test_sender_picker_ignores_accents(self):
        Agency = self.env["vbdt.agency"].with_user(self.clerk)
        for typed, expected in (
            ("bo tai chinh", "vbdt_agency_btc"),
            ("BO NOI VU", "vbdt_agency_bnv"),
            ("van phong chinh phu", "vbdt_agency_vpcp"),
            ("dan toc va ton giao", "vbdt_agency_bdttg"),
            ("Bộ Y tế", "vbdt_agency_byt"),
            ("ngan hang nha nuoc", "vbdt_agency_nhnn"),
        ):
            with self.subTest(typed=typed):
                found = [agency_id for agency_id, _name in Agency.name_search(typed)]
                self.assertIn(self.env.ref(f"vbdt_document.{expected}").id, found)
        found = Agency.name_search("bo tai chinh")
        self.assertNotIn(
            self.env.ref("vbdt_document.vbdt_agency_btp").id,
            [agency_id for agency_id, _name in found],
            "only what matches",
        )
        # the code still finds its entry
        self.assertEqual(
            [agency_id for agency_id, _name in Agency.name_search("000.00.00.G99")],
            self.sender.ids,
        )

    def test_seeding_adopts_entries_already_there(self):
        # as on an upgrade: the administrator entered the body before the
        # directory was seeded; the seed takes that entry, adds no duplicate
        Agency = self.env["vbdt.agency"]
        entered = Agency.create({"name": "Sở Tài chính tỉnh Thử nghiệm"})
        twice = Agency.create([{"name": "Sở Xây dựng tỉnh Thử nghiệm"}] * 2)
        Agency._vbdt_adopt_xmlids(
            {
                "vbdt_document.vbdt_agency_entered_test": entered.name,
                "vbdt_document.vbdt_agency_twice_test": twice[0].name,
                "vbdt_document.vbdt_agency_bnv": "Sở Tài chính tỉnh Thử nghiệm",
            }
        )
        self.assertEqual(
            self.env.ref("vbdt_document.vbdt_agency_entered_test"), entered
        )
        self.assertFalse(
            self.env.ref(
                "vbdt_document.vbdt_agency_twice_test", raise_if_not_found=False
            ),
            "an ambiguous name is not adopted",
        )
        self.assertEqual(
            self.env.ref("vbdt_document.vbdt_agency_bnv").name,
            "Bộ Nội vụ",
            "an id already in use is left alone",
        )
